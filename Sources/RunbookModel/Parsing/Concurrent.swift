import RunbookSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work spread over the machine's cores, its results kept in input order.
///
/// `lint` and `list` read a thousand files one after another; each file is read, parsed and linted
/// alone, so the files are shared out to a thread per core and the answers gathered by index: the
/// output is the same, whichever thread finished first.
enum Concurrent {
    /// The processors online, at least 1.
    static var cores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// `transform` of each of `0..<count`, in order, computed on up to `threads` threads (this one
    /// among them), never more threads than items.
    static func map<Result: Sendable>(_ count: Int, threads: Int = cores, _ transform: @Sendable (Int) -> Result) -> [Result] {
        let workers = min(threads, count)
        guard workers > 1 else { return (0..<count).map(transform) }
        let results = Slots<Result>(count)
        // Items are handed out one at a time from a shared counter: a thread that drew short files
        // takes more of them, so neither waits long for the other at the end.
        let next = Locked(0)
        withoutActuallyEscaping(transform) { transform in
            let work: @Sendable () -> Void = {
                while true {
                    let index = next.withLock { value in
                        defer { value += 1 }
                        return value
                    }
                    guard index < count else { return }
                    results.store(transform(index), at: index)
                }
            }
            let started = (1..<workers).map { _ in Background(work) }
            work()
            started.forEach { $0.wait() }
        }
        return results.collect()
    }
}

/// One result per index, each written once by whichever thread computed it.
///
/// `@unchecked Sendable`: every slot is written by exactly one thread (the one that drew its index
/// under the lock), and read only after every thread was joined.
private final class Slots<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    private let count: Int

    init(_ count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ value: Value, at index: Int) { slots[index] = value }

    func collect() -> [Value] { (0..<count).map { slots[$0]! } }
}
