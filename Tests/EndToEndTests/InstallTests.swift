import Foundation
import XCTest

/// `scripts/install` into a temporary PREFIX: one file that needs no Swift toolchain, its man page
/// and completions, and the binary at work (`list`, a walk, an http check) with the toolchain hidden.
///
/// The release build goes to `.build-static`, where `scripts/install` and `scripts/benchmark` build
/// too: on a fresh clone this test pays for it once (about 40 s on 2 cores), later runs relink at most.
final class InstallTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath)  // Tests/EndToEndTests/InstallTests.swift
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One install per test run, shared by the tests below.
    struct Installed: Sendable {
        var prefix: URL
        var output: String
        var binary: URL { prefix.appendingPathComponent("bin/runbook") }
    }

    static let installed: Result<Installed, InstallFailure> = install()

    struct InstallFailure: Error, CustomStringConvertible {
        var description: String
    }

    private static func install() -> Result<Installed, InstallFailure> {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-install-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = repository.appendingPathComponent("scripts/install")
        process.currentDirectoryURL = repository
        var environment = ProcessInfo.processInfo.environment
        environment["PREFIX"] = prefix.path
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(InstallFailure(description: "cannot run scripts/install: \(error)"))
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(InstallFailure(description: "scripts/install exited \(process.terminationStatus):\n\(text.suffix(3000))"))
        }
        return .success(Installed(prefix: prefix, output: text))
    }

    override class func tearDown() {
        // The install is 14 MiB: leave nothing behind in the temporary folder.
        if case .success(let install) = installed { try? FileManager.default.removeItem(at: install.prefix) }
        super.tearDown()
    }

    private func installed() throws -> Installed {
        try Self.installed.get()
    }

    // MARK: - What is installed

    func testOneFileWithItsManPageAndCompletions() throws {
        let install = try installed()
        let manager = FileManager.default
        XCTAssertEqual(try manager.contentsOfDirectory(atPath: install.prefix.appendingPathComponent("bin").path), ["runbook"])
        XCTAssertTrue(manager.isExecutableFile(atPath: install.binary.path))
        let page = try String(contentsOf: install.prefix.appendingPathComponent("share/man/man1/runbook.1"), encoding: .utf8)
        XCTAssertEqual(page, try String(contentsOf: Self.repository.appendingPathComponent("docs/runbook.1"), encoding: .utf8))
        let sandbox = try Sandbox()
        for (shell, path) in [("bash", "share/bash-completion/completions/runbook"), ("zsh", "share/zsh/site-functions/_runbook"),
                              ("fish", "share/fish/vendor_completions.d/runbook.fish")] {
            let script = try String(contentsOf: install.prefix.appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(script, try sandbox.run(["completions", shell]).stdout, shell)
        }
        // The temporary PREFIX is on no PATH: the script says how to put it there.
        XCTAssertTrue(install.output.contains("\(install.prefix.path)/bin is not on your PATH"), install.output)
        XCTAssertTrue(install.output.contains("export PATH=\"\(install.prefix.path)/bin:$PATH\""), install.output)
    }

    func testTheInstalledFileIsAtMost16MiB() throws {
        let install = try installed()
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: install.binary.path)[.size] as? Int)
        XCTAssertLessThanOrEqual(size, 16 << 20, "the installed runbook is \(size) bytes")
    }

    func testTheBinaryNeedsOnlyTheSystemsOwnLibraries() throws {
        let install = try installed()
        let ldd = try Sandbox().run([install.binary.path], executable: URL(fileURLWithPath: "/usr/bin/ldd"))
        XCTAssertEqual(ldd.status, 0, ldd.stderr)
        let system = ["linux-vdso.so", "libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "ld-linux", "libpthread.so",
                      "libdl.so", "librt.so", "libutil.so"]
        let libraries = ldd.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        XCTAssertFalse(libraries.isEmpty, ldd.stdout)
        for library in libraries {
            let name = library.split(separator: " ").first.map(String.init) ?? library
            XCTAssertTrue(system.contains { name.hasPrefix($0) || name.hasPrefix("/lib64/" + $0) || name.contains("/" + $0) },
                          "not a library of the system itself: \(library)")
            for word in ["swift", "Foundation", "icu", "curl", "/opt/", "not found"] {
                XCTAssertFalse(library.contains(word), library)
            }
        }
    }

    // MARK: - The binary at work, the toolchain hidden

    /// The folder of the toolchain's shared libraries (`…/usr/lib/swift`, holding `linux/libswiftCore.so`).
    private func toolchainLibraries() throws -> String {
        let which = try Sandbox().run(["-c", "command -v swift"], env: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""],
                                      executable: URL(fileURLWithPath: "/bin/sh"))
        let swift = URL(fileURLWithPath: which.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).resolvingSymlinksInPath()
        let libraries = swift.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib/swift")
        guard FileManager.default.fileExists(atPath: libraries.appendingPathComponent("linux/libswiftCore.so").path) else {
            throw XCTSkip("no toolchain libraries found beside \(swift.path); the ldd test covers the links")
        }
        return libraries.path
    }

    func testListAWalkAndAnHTTPCheckWithTheToolchainHidden() throws {
        let install = try installed()
        let unshare = URL(fileURLWithPath: "/usr/bin/unshare")
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: unshare.path) else {
            throw XCTSkip("hiding the toolchain needs root and unshare --mount; testTheBinaryNeedsOnlyTheSystemsOwnLibraries checks the links")
        }
        let hidden = try toolchainLibraries()
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        try sandbox.write("stub.md", HTTPCheckTests.stubRunbook)
        let server = try LocalHTTPServer(routes: [HTTPCheckTests.path: .json(501, HTTPCheckTests.stubBody)], maxRequests: 2)
        defer { server.stop() }

        /// Runs `binary ARGUMENTS` in a mount namespace where an empty tmpfs covers the toolchain's libraries.
        func hiddenRun(_ binary: URL, _ arguments: [String], input: String = "", env: [String: String] = [:]) throws -> Outcome {
            let script = #"mount -t tmpfs runbook-test "$1" && test ! -e "$1/linux/libswiftCore.so" && shift && exec "$@""#
            return try sandbox.run(["--mount", "/bin/sh", "-c", script, "sh", hidden, binary.path] + arguments,
                                   input: input, env: env, executable: unshare)
        }

        // The hiding works: the debug build, linked to the toolchain's libraries, cannot start.
        let debug = try hiddenRun(Sandbox.binary, ["--version"])
        XCTAssertNotEqual(debug.status, 0, "the debug build started with the toolchain hidden: \(debug.stdout)")
        XCTAssertTrue(debug.stderr.contains("error while loading shared libraries"), debug.stderr)

        let list = try hiddenRun(install.binary, ["list"])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("three") && list.stdout.contains("stub"), list.stdout)

        let walk = try hiddenRun(install.binary, ["start", "three", "--run", "w1"], input: "done\ndone\ndone\n")
        XCTAssertEqual(walk.status, 0, walk.stdout + walk.stderr)
        XCTAssertTrue(walk.stdout.contains("Run w1 complete: 3 done, 0 skipped"), walk.stdout)

        let check = try hiddenRun(install.binary, ["start", "stub", "--run", "h1", "--var", "BASE_URL=\(server.baseURL)"],
                                  input: "done\n", env: ["ADMIN_TOKEN": HTTPCheckTests.adminToken])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("✔ Check passed"), check.stdout)
        XCTAssertEqual(server.requests.first?.headers["x-admin-token"], HTTPCheckTests.adminToken)
        XCTAssertFalse(check.stdout.contains(HTTPCheckTests.adminToken))

        let verify = try hiddenRun(install.binary, ["verify", "h1"])
        XCTAssertEqual(verify.status, 0, verify.stderr)
    }
}
