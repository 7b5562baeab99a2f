import RunbookModel
import RunbookRun
import RunbookSupport
extension HTTPRequest {
    /// The request as the operator may see it: non-secret variables substituted, secrets left as `{{NAME}}`.
    public func displayed(values: [String: String], runbook: Runbook) -> HTTPRequest {
        func shown(_ text: String) -> String { StepScreen.display(text, values: values, runbook: runbook).description }
        return HTTPRequest(method: method, url: shown(url), headers: headers.map { .init(name: $0.name, value: shown($0.value)) },
                           body: body.map(shown))
    }
}
