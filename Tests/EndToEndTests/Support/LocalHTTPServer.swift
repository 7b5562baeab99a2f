import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 and an ephemeral port, for `http check` tests.
///
/// One background thread accepts connections one at a time, reads a request, and answers with the
/// fixed response of its path (404 otherwise), then closes the connection. It handles at most
/// `maxRequests` requests, then stops accepting; `stop()` ends it (tearDown).
final class LocalHTTPServer: @unchecked Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String = ""
        /// Accept and read the request, then never answer (until the server stops).
        var hang = false
        /// Accept and read the request, then answer only once the test calls `release()` (or after 10 s).
        var held = false
        /// A header the request must carry with this value (name lowercased); without it the answer is a 401.
        var required: (name: String, value: String)?

        static func json(_ status: Int, _ body: String) -> Response { Response(status: status, body: body) }

        /// `self` for a request that carries `name: value`, else 401 `{"ok":false,"error":"unauthorized"}`.
        func requiring(_ name: String, _ value: String) -> Response {
            var guarded = self
            guarded.required = (name.lowercased(), value)
            return guarded
        }
        static let silent = Response(status: 0, hang: true)
    }

    /// One request as received: the header names lowercased.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    let port: UInt16
    private let listener: Int32
    private let routes: [String: Response]
    private let maxRequests: Int
    private let lock = NSLock()
    private var received: [Request] = []
    private var held: [Int32] = []
    private var stopping = false
    private let ended = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    init(routes: [String: Response], maxRequests: Int = 8) throws {
        self.routes = routes
        self.maxRequests = maxRequests
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = LocalHTTPServer.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0, let port = LocalHTTPServer.port(of: fd) else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw ServerError("bind/listen on 127.0.0.1: \(reason)")
        }
        listener = fd
        self.port = port
        let thread = Thread { [self] in
            serve()
            ended.signal()
        }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Lets a `held` response go out.
    func release() { released.signal() }

    /// Every request received so far.
    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Stops accepting, closes every connection and waits (briefly) for the thread to end.
    func stop() {
        lock.lock()
        let already = stopping
        stopping = true
        lock.unlock()
        guard !already else { return }
        released.signal()
        _ = ended.wait(timeout: .now() + 5)
        lock.lock()
        for fd in held { close(fd) }
        held = []
        lock.unlock()
        close(listener)
    }

    deinit { stop() }

    private var isStopping: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopping
    }

    private func serve() {
        var handled = 0
        while handled < maxRequests && !isStopping {
            var waiting = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 100) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            handled += 1
            handle(connection)
        }
    }

    private func handle(_ connection: Int32) {
        guard let request = readRequest(connection) else {
            close(connection)
            return
        }
        lock.lock()
        received.append(request)
        lock.unlock()
        var response = routes[request.path] ?? Response(status: 404, headers: [("Content-Type", "text/plain")], body: "not found")
        if let required = response.required, request.headers[required.name] != required.value {
            response = .json(401, #"{"ok":false,"error":"unauthorized"}"#)
        }
        if response.hang {
            lock.lock()
            held.append(connection)
            lock.unlock()
            return
        }
        if response.held { _ = released.wait(timeout: .now() + 10) }
        var text = "HTTP/1.1 \(response.status) \(LocalHTTPServer.reason(response.status))\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(response.body.utf8.count)\r\nConnection: close\r\n\r\n" + response.body
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes = bytes.dropFirst(count)
        }
        shutdown(connection, Int32(SHUT_WR))
        close(connection)
    }

    /// Reads the request line, headers and a Content-Length body, for at most 5 s.
    private func readRequest(_ connection: Int32) -> Request? {
        let deadline = Date().addingTimeInterval(5)
        var data = [UInt8]()
        var headerEnd: Int?
        var expected = Int.max
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < expected && Date() < deadline && !isStopping {
            var waiting = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
            guard poll(&waiting, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            data += buffer[0..<count]
            if headerEnd == nil, let end = LocalHTTPServer.find([13, 10, 13, 10], in: data) {
                headerEnd = end + 4
                let head = String(decoding: data[0..<end], as: UTF8.self)
                let length = head.split(separator: "\r\n").dropFirst().first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end + 4 + length
            }
        }
        guard let headerEnd else { return nil }
        let head = String(decoding: data[0..<(headerEnd - 4)], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            headers[parts[0].trimmingCharacters(in: .whitespaces).lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers,
                       body: String(decoding: data[headerEnd...], as: UTF8.self))
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 302: "Found"
        case 401: "Unauthorized"
        case 404: "Not Found"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        default: "Status"
        }
    }

    static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func port(of fd: Int32) -> UInt16? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return result == 0 ? UInt16(bigEndian: address.sin_port) : nil
    }

    /// A port on 127.0.0.1 with nothing listening: bound, read, and closed again.
    static func closedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, let port = port(of: fd) else { throw ServerError("bind on 127.0.0.1 failed") }
        return port
    }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
