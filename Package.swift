// swift-tools-version:6.0
import PackageDescription

// Layers the compiler holds: data flows file -> parser -> model -> lint | walk -> event -> reducer -> log,
// and each target depends only on those below it.
//   RunbookSupport  byte search, SHA-256, JSON values, trimming, suggestions: no knowledge of runbooks
//   RunbookModel    the runbook as data: model, parser, expectations, lint rules
//   RunbookRun      a run: events, the reducer, the log on disk and the store of runs
//   RunbookKit      the use cases: the walk, checks that reach out, screens, reports, the command line
//   runbook         the executable: arguments, terminal, signals
let package = Package(
    name: "runbook",
    // Regex, firstRange(of:) and Date.ISO8601FormatStyle need macOS 13; Linux is what the tests run on.
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookKit", targets: ["RunbookKit"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "RunbookSupport"),
        .target(name: "RunbookModel", dependencies: ["RunbookSupport"]),
        .target(name: "RunbookRun", dependencies: ["RunbookModel", "RunbookSupport"]),
        .target(name: "RunbookKit", dependencies: ["RunbookRun", "RunbookModel", "RunbookSupport"]),
        .executableTarget(name: "runbook", dependencies: ["RunbookKit"]),
        .testTarget(name: "RunbookKitTests", dependencies: ["RunbookKit", "RunbookRun", "RunbookModel", "RunbookSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["runbook"], exclude: ["Transcripts", "Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
