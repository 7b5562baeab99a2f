import RunbookModel
import RunbookRun
import RunbookSupport
/// An `http check` as the system `curl` runs it: the config it reads on standard input, how to read
/// what it prints, and the same request as a command an operator can copy.
///
/// Pure functions: the process that runs curl is `CurlCheck`.
public enum CurlRequest {
    /// The most bytes of headers and body a check reads; a larger response fails the check.
    public static let maxResponseBytes = 8 << 20

    /// Starts the line that `--write-out` appends after the body: `~runbook-curl~ STATUS HEADER_BYTES`.
    static let marker = "\n~runbook-curl~ "

    /// The arguments curl gets: `-q` (first, so no `~/.curlrc` can add options such as `--location`)
    /// and the config on standard input, so nothing of the request shows in the process list.
    public static let arguments = ["-q", "--config", "-"]

    /// The curl config for `request` (variables substituted): one option a line, values quoted.
    ///
    /// Headers go to standard output before the body (`dump-header -`), then a marker line with the
    /// status and the size of the headers, so one pipe carries all three. Redirects are not
    /// followed (no `location`): a token must never follow a redirect to another host.
    public static func config(_ request: HTTPRequest, timeout: Double) -> String {
        var lines = ["url = " + quoted(request.url)]
        if request.method == "HEAD" {
            // `--request HEAD` would wait for a body that never comes; `--head` prints the headers
            // as the output, which goes nowhere: `dump-header` prints them once.
            lines += ["head", "output = \"/dev/null\""]
        } else {
            lines.append("request = " + quoted(request.method))
        }
        for header in request.headers {
            lines.append("header = " + quoted("\(header.name): \(header.value)"))
        }
        if let body = request.body { lines.append("data-raw = " + quoted(body)) }
        lines += [
            "globoff",
            "proto = \"=http,https\"",
            "max-time = \(seconds(timeout))",
            "max-filesize = \(maxResponseBytes)",
            "silent",
            "show-error",
            "dump-header = \"-\"",
            "write-out = " + quoted(marker + "%{http_code} %{size_header}"),
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value in double quotes, in curl's config syntax: `\` and `"` escaped, line breaks and tabs as `\n`, `\r`, `\t`.
    public static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{0B}": result += "\\v"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Why curl cannot send `request` as it stands, or nil: a line break in a header, or a NUL byte.
    ///
    /// A variable's value can smuggle a second header into a request; the check refuses it instead.
    public static func problem(with request: HTTPRequest) -> String? {
        for header in request.headers {
            if (header.name + header.value).contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                return "the header \(header.name) holds a line break; check the variables it uses"
            }
        }
        let all = [request.method, request.url] + request.headers.flatMap { [$0.name, $0.value] } + [request.body ?? ""]
        if all.contains(where: { $0.unicodeScalars.contains("\u{0}") }) {
            return "the request holds a NUL character; check the variables it uses"
        }
        return nil
    }

    /// Seconds for curl's `max-time`, without a needless fraction.
    static func seconds(_ timeout: Double) -> String {
        timeout == timeout.rounded() ? String(Int(timeout)) : String(timeout)
    }

    // MARK: - Reading curl's output

    /// What curl printed for one request: the headers, the body and the status of the final response.
    public struct Response: Hashable, Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
    }

    /// Splits curl's standard output (headers, body, marker line) into a response; nil when the
    /// marker is missing or does not add up (curl stopped before it finished).
    public static func parse(_ output: [UInt8]) -> Response? {
        let markerBytes = Array(marker.utf8)
        guard let start = lastIndex(of: markerBytes, in: output) else { return nil }
        let trailer = String(decoding: output[(start + markerBytes.count)...], as: UTF8.self)
        let fields = trailer.split(separator: " ")
        guard fields.count == 2, let status = Int(fields[0]), let headerBytes = Int(fields[1]),
              headerBytes >= 0, headerBytes <= start else { return nil }
        let head = String(decoding: output[..<headerBytes], as: UTF8.self)
        return Response(status: status, headers: headers(of: head),
                        body: String(decoding: output[headerBytes..<start], as: UTF8.self))
    }

    /// The headers of the last response in a header dump (interim `100 Continue` answers come first);
    /// a header given twice keeps both values, joined by `, `.
    static func headers(of dump: String) -> [String: String] {
        var headers: [String: String] = [:]
        var names: [String: String] = [:]
        for line in dump.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if line.hasPrefix("HTTP/") {
                headers = [:]
                names = [:]
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon]).trimmed
            let value = String(line[line.index(after: colon)...]).trimmed
            guard !name.isEmpty else { continue }
            // Names match in any case: keep the first spelling seen.
            let key = names[name.lowercased()] ?? name
            names[name.lowercased()] = key
            headers[key] = headers[key].map { $0 + ", " + value } ?? value
        }
        return headers
    }

    private static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var start = haystack.count - needle.count
        while start >= 0 {
            if haystack[start] == needle[0], haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }

    // MARK: - What curl's exit status means

    /// The one-line verdict for a curl that exited `status` with `message` on standard error.
    ///
    /// `host` and `port` name the server as the operator wrote it; `url` is the URL sent.
    public static func describe(exit status: Int32, message: String, url: String, host: String, port: Int?,
                                timeout: Double) -> Text {
        let reason = curlReason(message)
        switch status {
        case 28:
            return "no answer from \(outside: host) within \(program: seconds(timeout)) s (timed out)"
        case 7:
            let lowered = reason.lowercased()
            if lowered.contains("unreachable") || lowered.contains("no route") {
                return "network unreachable while calling \(outside: host)"
            }
            if lowered.contains("timed out") { return "no answer from \(outside: host) within \(program: seconds(timeout)) s (timed out)" }
            return "connection refused by \(outside: host)\(program: port.map { ":\($0)" } ?? ""): is the server up?"
        case 6:
            return "cannot resolve host \(outside: host) (DNS): check the URL and your network"
        case 5:
            return "cannot resolve the proxy's host (DNS): check http_proxy, https_proxy and your network"
        case 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91:
            return "TLS failed with \(outside: host): the certificate or TLS setup was refused"
        case 1, 3:
            return "`\(outside: url)` is not an http(s) URL; check the variables it uses"
        case 52:
            return "no HTTP response from \(outside: host): the server closed the connection without answering"
        case 63:
            return "the response from \(outside: host) is larger than \(maxResponseBytes >> 20) MiB, more than a check reads"
        default:
            return "request to \(outside: host) failed: " + (reason.isEmpty ? "curl exited \(status)" : Text(reason, source: .outside, limit: 200))
        }
    }

    /// curl's error line without its `curl: (N) ` prefix, on one line, at most 200 characters.
    static func curlReason(_ message: String) -> String {
        guard var line = message.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).last.map(String.init) else { return "" }
        if line.hasPrefix("curl: ("), let close = line.firstIndex(of: ")") {
            line = String(line[line.index(after: close)...])
        } else if line.hasPrefix("curl: ") {
            line = String(line.dropFirst(6))
        }
        return String(line.trimmed.prefix(4096))
    }

    // MARK: - The command to copy

    /// `request` as a `curl` command for a POSIX shell, to reproduce a failed check by hand.
    ///
    /// Pass the request as shown to the operator (secrets still `{{NAME}}`): the command is printed.
    public static func command(_ request: HTTPRequest, timeout: Double) -> String {
        var words = ["curl", "-i"]
        if request.method == "HEAD" {
            words.append("-I")
        } else if request.method != "GET" || request.body != nil {
            words += ["-X", shellQuoted(request.method)]
        }
        if request.url.contains(where: { "[]{}".contains($0) }) { words.append("-g") }
        words.append(shellWord(request.url))
        for header in request.headers { words += ["-H", shellWord("\(header.name): \(header.value)")] }
        if let body = request.body { words += ["--data-raw", shellWord(body)] }
        words += ["--max-time", seconds(timeout)]
        return words.joined(separator: " ")
    }

    /// A word for a POSIX shell in which each `{{NAME}}` left (a secret) is read from the environment:
    /// `"x-admin-token: $ADMIN_TOKEN"`, so the line works when pasted after `export ADMIN_TOKEN=…`.
    public static func shellWord(_ word: String) -> String {
        let references = Variable.references(in: word)
        guard !references.isEmpty else { return shellQuoted(word) }
        let characters = Array(word)
        var literals: [String] = []
        var copied = 0
        for (name, column) in references {
            literals.append(String(characters[copied..<(column - 1)]))
            copied = column - 1 + name.count + 4
        }
        literals.append(String(characters[copied...]))
        let names = references.map(\.0)
        let unsafe: Set<Character> = ["\"", "\\", "$", "`", "!"]
        if literals.allSatisfy({ $0.allSatisfy { !unsafe.contains($0) && !$0.isNewline && $0.asciiValue.map { $0 >= 0x20 } ?? true } }) {
            var result = "\""
            for (index, literal) in literals.enumerated() {
                result += literal
                guard index < names.count else { break }
                let following = literals[index + 1].first
                let joins = following.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false
                result += joins ? "${\(names[index])}" : "$\(names[index])"
            }
            return result + "\""
        }
        var parts: [String] = []
        for (index, literal) in literals.enumerated() {
            if !literal.isEmpty { parts.append(shellQuoted(literal)) }
            if index < names.count { parts.append("\"$\(names[index])\"") }
        }
        return parts.joined()
    }

    /// A word for a POSIX shell: bare when safe, else in single quotes; `$'…'` when it holds a line break.
    public static func shellQuoted(_ word: String) -> String {
        let safe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,"
        if !word.isEmpty, word.unicodeScalars.allSatisfy({ safe.unicodeScalars.contains($0) }) { return word }
        if word.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            var result = "$'"
            for scalar in word.unicodeScalars {
                switch scalar {
                case "\\": result += "\\\\"
                case "'": result += "\\'"
                case "\n": result += "\\n"
                case "\r": result += "\\r"
                case "\t": result += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16)
                        result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
                    } else {
                        result.unicodeScalars.append(scalar)
                    }
                }
            }
            return result + "'"
        }
        return "'" + word.replacingEvery("'", with: "'\\''") + "'"
    }
}
