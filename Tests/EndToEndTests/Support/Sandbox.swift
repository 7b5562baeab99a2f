import Foundation
import XCTest

/// What one run of the binary printed and how it exited.
struct Outcome {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// A fresh temporary folder per test, with `runbooks/` and a state folder, and the built binary to run in it.
final class Sandbox {
    let root: URL
    var runbooks: URL { root.appendingPathComponent("runbooks") }
    var state: URL { root.appendingPathComponent("state") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("runbook-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("runbooks"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// The `runbook` binary built next to the test bundle.
    static var binary: URL {
        let products = Bundle.allBundles.map(\.bundleURL).first { $0.pathExtension == "xctest" }?.deletingLastPathComponent()
            ?? Bundle.main.bundleURL
        return products.appendingPathComponent("runbook")
    }

    /// Writes `runbooks/NAME` (NAME may hold subfolders) and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let url = runbooks.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// The log of a run.
    func log(_ run: String) -> URL { state.appendingPathComponent("runs/\(run).jsonl") }

    /// The environment every run gets: no colour settings from outside, state kept in the sandbox.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": "/usr/bin:/bin", "HOME": root.path, "RUNBOOK_STATE_DIR": state.path,
                   "RUNBOOK_OPERATOR": "tester", "TZ": "UTC"]
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// Starts the binary in the sandbox folder without waiting; stdin is a pipe the caller writes.
    ///
    /// With `fileSizeLimit` (bytes, a multiple of 512), the binary runs under `ulimit -f`: writes past
    /// the limit fail with EFBIG, as on a full disk.
    ///
    /// With `executable`, that program runs instead of the built binary (a wrapper such as `unshare`).
    /// With `folder`, it runs there instead of the sandbox's root.
    func launch(_ arguments: [String], env: [String: String] = [:], fileSizeLimit: Int? = nil,
                executable: URL? = nil, folder: URL? = nil) throws -> (Process, Pipe, Pipe, Pipe) {
        let process = Process()
        if let executable {
            process.executableURL = executable
            process.arguments = arguments
        } else if let fileSizeLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f \(fileSizeLimit / 512) && exec \"$0\" \"$@\"", Sandbox.binary.path] + arguments
        } else {
            process.executableURL = Sandbox.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = folder ?? root
        process.environment = environment(env)
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return (process, input, output, errors)
    }

    /// Runs the binary with `input` on a pipe, waits (at most `timeout` seconds) and returns what it printed.
    func run(_ arguments: [String], input: String = "", env: [String: String] = [:], timeout: Double = 30,
             fileSizeLimit: Int? = nil, executable: URL? = nil, folder: URL? = nil,
             file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        let (process, stdin, stdout, stderr) = try launch(arguments, env: env, fileSizeLimit: fileSizeLimit, executable: executable,
                                                          folder: folder)
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, keyPath) in [(stdout, \Collected.out), (stderr, \Collected.err)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(keyPath, data)
                group.leave()
            }
        }
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            XCTFail("runbook \(arguments.joined(separator: " ")) did not finish within \(timeout) s", file: file, line: line)
        }
        process.waitUntilExit()
        return Outcome(stdout: collected.string(\.out), stderr: collected.string(\.err), status: process.terminationStatus)
    }
}

/// Output gathered from reader threads.
final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    var out = Data()
    var err = Data()

    func set(_ keyPath: ReferenceWritableKeyPath<Collected, Data>, _ data: Data) {
        lock.lock()
        self[keyPath: keyPath] = data
        lock.unlock()
    }

    func string(_ keyPath: KeyPath<Collected, Data>) -> String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: self[keyPath: keyPath], as: UTF8.self)
    }
}

/// A small valid runbook for tests: three steps, a place change, a variable.
enum Fixture {
    static let threeSteps = """
    # Three steps

    A test runbook with three steps.

    Tags: test

    ## Guardrails
    - `/oauth/token`: decommissioned.

    ## Variables
    - `BASE_URL`: the base URL. Default: `http://127.0.0.1:9`

    ## First {#first}
    Where: PowerShell on your laptop

    ```powershell
    echo {{BASE_URL}}
    ```

    Expect: it prints the URL.

    ## Second {#second}
    Where: droplet intelliwatt-smt-proxy

    ```bash
    echo two
    ```

    Expect: `two`.

    ## Third {#third}
    Where: droplet intelliwatt-smt-proxy

    ```bash
    echo three
    ```

    Expect: `three`.

    """
}
