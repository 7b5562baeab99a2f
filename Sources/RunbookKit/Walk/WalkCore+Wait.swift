import RunbookModel
import RunbookRun
import RunbookSupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension WalkCore {
    /// The step's `Wait:` when one is due before its prompt: begun (and recorded) now, or, when a walk
    /// resumes, counted from the start the run recorded.
    mutating func waitIfDue(_ step: Step, at index: Int) throws(Refused) -> Request? {
        guard let wait = step.wait, state.steps[index].waitEnded == nil else { return nil }
        let resumed = state.steps[index].waitStarted != nil
        if !resumed { try record(.waitStarted(step: step.id, seconds: wait.seconds)) }
        let started = state.steps[index].waitStarted?.at ?? person.now()
        let until = started.addingTimeInterval(Double(wait.seconds))
        let poll = wait.every == nil ? nil : call(for: step)
        let how = "Enter or Ctrl-C stops waiting."
        let total = Wait.duration(wait.seconds)
        if resumed {
            let left = max(0, Int(until.timeIntervalSince(person.now()).rounded(.up)))
            say("", "Waiting again: \(program: Elapsed.describe(Double(left))) left of \(program: total), counted from when the wait began. \(program: how)")
        } else if let every = wait.every {
            say("", "Waiting up to \(program: total) for the check to pass, trying it every \(program: Wait.duration(every)). \(program: how)")
        } else {
            say("", "Waiting \(program: total) before this step. \(program: how)")
        }
        mode = .waiting
        return .wait(until: until, every: poll == nil ? nil : wait.every.map(Double.init), poll: poll)
    }

    /// A wait ended: recorded with how, the polled check's last verdict said, then the step's prompt.
    mutating func waited(_ how: WaitEnd, last: CheckResult?) throws(Refused) -> Request {
        mode = .prompt
        guard let (index, step) = currentStep else { return try next() }
        if let last, how == .checkPassed || how == .elapsed {
            if last.passed {
                try record(.checkPassed(step: step.id))
                say(("✔ Check passed" as Text).styled(.success) + " (" + last.message + ")")
            } else {
                try record(.checkFailed(step: step.id, reason: variables.renderer.plain(last.recorded)))
                say(("✘ Check still failing when the wait was up: " as Text).styled(.error) + last.message)
            }
        }
        let begun = state.steps[index].waitStarted?.at ?? person.now()
        let after = Elapsed.describe(max(0, person.now().timeIntervalSince(begun)))
        try record(.waitEnded(step: step.id, how: how))
        switch how {
        case .elapsed: say("Waited \(program: Wait.duration(step.wait?.seconds ?? 0)).")
        case .checkPassed: say("The wait ended after \(program: after): the check passed.")
        case .ended: say("The wait ended early (Enter) after \(program: after).")
        case .interrupted: say("The wait ended early (Ctrl-C) after \(program: after).")
        }
        say("", reminder(for: step).styled(.dim))
        return prompt()
    }
}
