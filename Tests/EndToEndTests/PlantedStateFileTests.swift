import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// What may sit in the state folder in place of a log or a lock (issue 13 items 4, 5 and 10): never
/// followed, never a hang, and advice that fits.
final class PlantedStateFileTests: XCTestCase {
    private func sandboxWithRuns() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("three.md", Fixture.threeSteps)
        XCTAssertEqual(try sandbox.run(["start", "three", "--run", "ok"], input: "quit\n").status, 3)
        return sandbox
    }

    func testALockThatIsASymlinkIsNeverFollowedAndItsTargetKeepsItsContent() throws {
        let sandbox = try sandboxWithRuns()
        let victim = sandbox.root.appendingPathComponent("victim")
        try Data("precious\n".utf8).write(to: victim)
        let lock = sandbox.state.appendingPathComponent("runs/r.lock").path
        XCTAssertEqual(symlink(victim.path, lock), 0)
        for arguments in [["start", "three", "--run", "r"], ["resume", "ok"]] {
            if arguments[0] == "resume" {
                XCTAssertEqual(unlink(lock), 0)
                let runLock = sandbox.state.appendingPathComponent("runs/ok.lock").path
                unlink(runLock)
                XCTAssertEqual(symlink(victim.path, runLock), 0)
            }
            let refused = try sandbox.run(arguments, input: "quit\n", timeout: 10)
            XCTAssertEqual(refused.status, 1, "\(arguments): \(refused.stdout)")
            assertOneErrorLine(refused, containing: [".lock: not a regular file (a symbolic link)", "remove it"])
            XCTAssertEqual(sandbox.text(victim), "precious\n", "\(arguments) wrote through the link")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: sandbox.log("r").path), "a run was started anyway")
    }

    func testAFIFOOrALinkToADeviceInPlaceOfALogIsNotARegularFileAndNothingHangs() throws {
        let sandbox = try sandboxWithRuns()
        let planted = sandbox.log("x").path
        for plant in ["fifo", "link to /dev/zero"] {
            unlink(planted)
            XCTAssertEqual(plant == "fifo" ? mkfifo(planted, 0o600) : symlink("/dev/zero", planted), 0)
            let kind = plant == "fifo" ? "a FIFO" : "a symbolic link"
            let problem = "\(planted): not a regular file (\(kind))"
            for arguments in [["status", "x"], ["verify", "x"], ["report", "x"], ["resume", "x"], ["start", "three", "--run", "x"]] {
                let refused = try sandbox.run(arguments, input: "quit\n", timeout: 5)
                XCTAssertEqual(refused.status, 1, "\(plant) \(arguments): \(refused.stdout)")
                assertOneErrorLine(refused, containing: [problem])
            }
            // Listings name it as an error and still list the readable runs.
            let runs = try sandbox.run(["runs", "--all"], timeout: 5)
            XCTAssertEqual(runs.status, 1, plant)
            XCTAssertEqual(runs.errorLines, ["runbook: error: \(problem); runbook never reads, follows or writes one: "
                                             + "remove it, or move it out of the runs folder"], plant)
            XCTAssertTrue(runs.stdout.hasPrefix("ok  three  step 1 of 3"), runs.stdout)
            for list in ["runs", "unfinished-runs"] {
                let completion = try sandbox.run(["__complete", list], timeout: 5)
                XCTAssertEqual(completion.status, 0, "\(plant) \(list): \(completion.stderr)")
                XCTAssertTrue(completion.stdout.contains("ok\n"), "\(plant) \(list): \(completion.stdout)")
            }
            XCTAssertEqual(try sandbox.run(["list"], timeout: 5).status, 0, plant)
        }
    }

    func testAReadOnlyStateFolderAdvisesAnotherStateFolderNotResumingTheLock() throws {
        let sandbox = try sandboxWithRuns()
        let runs = sandbox.state.appendingPathComponent("runs").path
        let readOnly: (_ arguments: [String]) throws -> Outcome
        if getuid() == 0 {
            // Root writes through permissions: a read-only bind mount in a mount namespace of its own.
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { throw XCTSkip("needs unshare as root") }
            readOnly = { arguments in
                try sandbox.run(["--mount", "/bin/sh", "-c", #"mount -o bind,ro "$1" "$1" && shift && exec "$@""#, "sh", runs,
                                 Sandbox.binary.path] + arguments,
                                input: "quit\n", timeout: 10, executable: URL(fileURLWithPath: "/usr/bin/unshare"))
            }
        } else {
            XCTAssertEqual(chmod(runs, 0o500), 0)
            readOnly = { try sandbox.run($0, input: "quit\n", timeout: 10) }
        }
        defer { chmod(runs, 0o700) }
        for (arguments, run) in [(["start", "three", "--run", "r9"], "r9"), (["resume", "ok"], "ok")] {
            let refused = try readOnly(arguments)
            XCTAssertEqual(refused.status, 1, "\(arguments): \(refused.all)")
            assertOneErrorLine(refused, containing: ["cannot use the state folder \(runs) (cannot lock run \(run) in it: ",
                                                     "pass --state-dir DIR or set RUNBOOK_STATE_DIR"])
            XCTAssertFalse(refused.stderr.contains(".lock`"), refused.stderr)
            XCTAssertFalse(refused.stdout.contains("Step 1 of 3"), "\(arguments): \(refused.stdout)")
        }
    }
}
