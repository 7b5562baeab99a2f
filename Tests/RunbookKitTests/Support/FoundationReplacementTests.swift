import Foundation
import XCTest
@testable import RunbookSupport

/// What replaced full Foundation's helpers (issue 14) gives what they gave: the path helpers as
/// NSString's, `lastRange(of:)` as `range(of:options: .backwards)`, `Lock` and `Locked` excluding
/// each other across threads, `Background` the work's result.
final class FoundationReplacementTests: XCTestCase {
    /// NSString's answers, written out: Foundation's own `deletingLastPathComponent` traps on some of
    /// these inputs on this toolchain, so it cannot be asked in a test.
    func testPathHelpersAnswerAsNSString() {
        let cases: [(path: String, fileName: String, folder: String)] = [
            ("/a/b", "b", "/a"), ("/a/b/", "b", "/a"), ("a/b", "b", "a"), ("b", "b", ""), ("/", "/", "/"),
            ("/a", "a", "/"), ("runs/r1.jsonl", "r1.jsonl", "runs"), ("a/.hidden", ".hidden", "a"),
            ("../runbooks", "runbooks", ".."), ("/state/runs/r1/s.jsonl", "s.jsonl", "/state/runs/r1"),
        ]
        for (path, fileName, folder) in cases {
            XCTAssertEqual(Path.fileName(path), fileName, "fileName of \(path)")
            XCTAssertEqual(Path.folder(path), folder, "folder of \(path)")
        }
        for (name, stem) in [("run.jsonl", "run"), ("run", "run"), (".hidden", ".hidden"), ("a.b.c", "a.b"), ("r1~host-1.jsonl", "r1~host-1")] {
            XCTAssertEqual(Path.withoutExtension(name), stem, "withoutExtension of \(name)")
        }
    }

    func testLastRangeFindsWhatABackwardsSearchFinds() {
        for (text, other) in [("a -> b -> c", "->"), ("→ x →", "→"), ("none", "->"), ("", "x"), ("éé", "é"), ("aaa", "aa")] {
            let expected = text.range(of: other, options: .backwards)
            XCTAssertEqual(text.lastRange(of: other), expected, "\(text) / \(other)")
        }
    }

    func testLockedExcludesOtherThreadsAndBackgroundGivesItsResult() {
        let counter = Locked(0)
        let workers = (0..<4).map { _ in
            Background { () -> Int in
                for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
                return 1
            }
        }
        XCTAssertEqual(workers.map { $0.wait() }, [1, 1, 1, 1])
        XCTAssertEqual(counter.current, 40_000)
        let lock = Lock()
        XCTAssertEqual(lock.withLock { 7 }, 7)
    }
}
