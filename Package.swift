// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookKit", targets: ["RunbookKit"]),
    ],
    dependencies: [],
    targets: [
        .target(name: "RunbookKit"),
        .executableTarget(name: "runbook", dependencies: ["RunbookKit"]),
        .testTarget(name: "RunbookKitTests", dependencies: ["RunbookKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["runbook"], exclude: ["Transcripts"]),
    ],
    swiftLanguageModes: [.v6]
)
