import RunbookModel
import RunbookRun
import RunbookSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Runs `http check` and `sh check` for real: URLSession and `/bin/sh`.
public struct LiveCheckRunner: CheckRunner {
    public init() {}

    public func http(_ request: HTTPRequest, expectations: [Expectation], timeout: Double) -> CheckResult {
        guard let url = URL(string: request.url), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return .fail("`\(request.url)` is not an http(s) URL; check the variables it uses")
        }
        var urlRequest = URLRequest(url: url, timeoutInterval: timeout)
        urlRequest.httpMethod = request.method
        for header in request.headers { urlRequest.addValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = request.body.map { Data($0.utf8) }

        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.invalidateAndCancel() }
        let box = Locked<(Data?, HTTPURLResponse?, Error?)>((nil, nil, nil))
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            box.current = (data, response as? HTTPURLResponse, error)
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            return .fail("no answer from \(url.host ?? request.url) within \(Self.seconds(timeout)) (timed out)")
        }
        let (data, response, error) = box.current
        if let error { return .fail(Self.describe(error, url: url, timeout: timeout)) }
        guard let response else { return .fail("no HTTP response from \(url.host ?? request.url)") }
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key] = value }
        }
        let body = String(decoding: data ?? Data(), as: UTF8.self)
        return Expectation.evaluate(expectations, against: Observed(status: response.statusCode, headers: headers, body: body))
    }

    static func seconds(_ timeout: Double) -> String {
        timeout == timeout.rounded() ? "\(Int(timeout)) s" : "\(timeout) s"
    }

    static func describe(_ error: Error, url: URL, timeout: Double) -> String {
        let host = url.host ?? url.absoluteString
        guard let urlError = error as? URLError else { return "request to \(host) failed: \(error.localizedDescription)" }
        switch urlError.code {
        case .timedOut: return "no answer from \(host) within \(seconds(timeout)) (timed out)"
        case .cannotConnectToHost: return "connection refused by \(host)\(url.port.map { ":\($0)" } ?? ""): is the server up?"
        case .cannotFindHost, .dnsLookupFailed: return "cannot resolve host \(host) (DNS): check the URL and your network"
        case .notConnectedToInternet, .networkConnectionLost: return "network unreachable while calling \(host)"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "TLS failed with \(host): the certificate or TLS setup was refused"
        default: return "request to \(host) failed: \(urlError.localizedDescription)"
        }
    }

    public func shell(_ script: String, environment: [String: String], timeout: Double) -> CheckResult {
        ShellCheck.run(script, environment: environment, timeout: timeout)
    }
}
