import RunbookModel
import RunbookSupport

/// `Capture:` (SPEC 11): values read from the text a passing check read, kept as the variables' values.
extension WalkCore {
    /// Keeps the step's captures from `captureText` (a paste, or a run block's output), then forgets the text.
    mutating func keepCaptures(of step: Step) throws(Refused) {
        guard let text = captureText else { return }
        captureText = nil
        for capture in step.captures {
            guard let variable = runbook.variable(named: capture.name) else { continue }
            let secret = variables.isSecret(variable)
            guard let value = capture.value(in: text) else {
                say("Captured nothing for \(program: capture.name) (\(runbook: capture.written)): it is asked when a step needs it.")
                continue
            }
            if let problem = variables.problem(with: value, for: variable) {
                say("Captured \(program: capture.name) does not fit: \(program: problem); not kept.")
                continue
            }
            try keep(value, for: variable, given: true)
            say(secret ? "Captured \(program: capture.name) (secret: kept in memory only, never shown)."
                       : "Captured \(program: capture.name) = \(outside: value).")
        }
    }
}
