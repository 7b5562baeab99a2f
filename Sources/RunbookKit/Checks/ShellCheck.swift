import RunbookModel
import RunbookRun
import RunbookSupport
import Foundation

/// Runs an `sh check` under `/bin/sh` with a time limit.
enum ShellCheck {
    static func run(_ script: String, environment: [String: String], timeout: Double) -> CheckResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        fflush(nil)
        do {
            try process.run()
        } catch {
            return .fail("cannot run /bin/sh: \(error.localizedDescription)")
        }
        let collected = Locked(Data())
        let read = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            collected.current = output.fileHandleForReading.readDataToEndOfFile()
            read.signal()
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 1) == .timedOut { kill(process.processIdentifier, SIGKILL) }
            return .fail("the sh check did not finish within \(LiveCheckRunner.seconds(timeout)) (timed out)")
        }
        // A background child may keep the pipe open: do not wait for its end for long.
        _ = read.wait(timeout: .now() + 1)
        let status = process.terminationStatus
        if status == 0 { return .pass("passed: sh exited 0") }
        let last = String(decoding: collected.current, as: UTF8.self)
            .split(separator: "\n").last.map { String($0.prefix(200)) } ?? ""
        return .fail("the sh check exited \(status)" + (last.isEmpty ? "" : ": \(last)"))
    }
}
