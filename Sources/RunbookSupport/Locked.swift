#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value handed between threads (a callback's answer, a reader thread's output) behind a lock.
public final class Locked<Value>: @unchecked Sendable {
    // Visible to inlined callers: a generic class's methods called from another module ran
    // unspecialized otherwise, the value handled through its metadata at every call.
    @usableFromInline let lock = Lock()
    @usableFromInline var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, holding the lock: a read, a change and anything between them as one step.
    @inlinable public func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    @inlinable public var current: Value {
        get {
            lock.lock()
            defer { lock.unlock() }
            return value
        }
        set {
            lock.lock()
            value = newValue
            lock.unlock()
        }
    }
}
