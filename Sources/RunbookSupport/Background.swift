#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Work under way on a thread of its own, whose result `wait` gives (once it is done).
///
/// For a flush to disk that need not hold up the screen: the caller draws meanwhile and waits before
/// anything depends on it. A thread that cannot be started runs the work at once, in `init`.
public final class Background<Value: Sendable>: @unchecked Sendable {
    private let result = ResultBox()
    private var thread: pthread_t?

    private final class ResultBox: @unchecked Sendable {
        var value: Value?
    }

    public init(_ work: @escaping @Sendable () -> Value) {
        let result = result
        thread = System.startJoinableThread { result.value = work() }
    }

    /// Waits for the work to end (the first call only) and gives its result.
    public func wait() -> Value {
        if let running = thread { pthread_join(running, nil) }
        thread = nil
        return result.value!
    }
}

extension System {
    /// Runs `body` on a new thread to be joined (`pthread_join`); nil when none could be started, and
    /// `body` then ran here.
    ///
    /// The thread starts with every signal blocked: Ctrl-C and the like are for the thread that waits for them.
    static func startJoinableThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
        let box = Unmanaged.passRetained(JoinableBody(body)).toOpaque()
        var all = sigset_t()
        var before = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &before)
        defer { pthread_sigmask(SIG_SETMASK, &before, nil) }
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let started = pthread_create(&thread, nil, { pointer in
            #if canImport(Glibc)
            let pointer = pointer!
            #endif
            Unmanaged<JoinableBody>.fromOpaque(pointer).takeRetainedValue().body()
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<JoinableBody>.fromOpaque(box).takeRetainedValue().body()
            return nil
        }
        return thread
    }

    private final class JoinableBody: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
