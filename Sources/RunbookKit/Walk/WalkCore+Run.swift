import RunbookModel
import RunbookRun
import RunbookSupport

/// `run`: runbook runs the step's run block for the operator, here or over ssh.
extension WalkCore {
    /// The start of the instruction line on a step with a run block: which way is which.
    func runLine(_ step: Step) -> Text {
        guard step.runBlock != nil else { return "" }
        let place: Text = step.via.map { "on \(runbook: $0.destination) over ssh" } ?? "on this machine"
        return "Type run and runbook runs the command \(place) for you, or do it by hand. "
    }

    /// The output of `run` that goes on to the step shown next: only from a step without a paste check
    /// of its own (a decision on what the command printed) to a step that checks it and runs nothing
    /// itself, so one run saves the paste of the step that reads its answer.
    func carried(from before: Int?, to step: Step) -> String? {
        guard let ranOutput, let before, let previous = self.step(at: before), previous.runBlock != nil,
              case .paste? = step.check, step.runBlock == nil else { return nil }
        if case .paste? = previous.check { return nil }
        return ranOutput
    }

    /// Shows the exact command and where it runs, then asks the driver to run it.
    mutating func run(_ step: Step) throws(Refused) -> Request {
        guard let block = step.runBlock else {
            say("This step has no run block: runbook runs nothing here. Do the step by hand as shown, then type done.")
            return prompt()
        }
        if let problem = step.vias.first(where: { Via.parse($0.value) == nil }) {
            say("Via: \(runbook: problem.value) is not `ssh USER@HOST` (see runbook lint); do the step by hand, then type done.")
            return prompt()
        }
        let names = block.variableNames.sorted()
        let secrets = names.filter(variables.isSecret(named:))
        if step.via != nil, !secrets.isEmpty {
            say("This run block sends the secret \(runbook: secrets.joined(separator: ", ")) over ssh, which runbook never does (see runbook lint): do the step by hand.")
            return prompt()
        }
        let values = variables.values(recorded: state.variables)
        let missing = names.filter { values[$0] == nil }.compactMap { runbook.variable(named: $0) }
        if !missing.isEmpty {
            return ask(missing.map { .init(variable: $0, purpose: "The command needs") }, then: .command("run"))
        }
        // Values reach the command only through its environment: `{{NAME}}` becomes `${NAME}`.
        let script = Variable.substituting(block.text) { "${\($0)}" }
        var given: [String: String] = [:]
        for name in names { given[name] = values[name] }
        let call: RunCall
        if let via = step.via {
            call = .over(via, script: script, values: given, secrets: secretValues)
            say("", "Running on \(runbook: via.destination) over ssh, with a terminal (Ctrl-C stops it):",
                "  " + Text(call.commandLine, source: .typed, role: .code))
        } else {
            call = .here(script, values: given, secrets: secretValues)
            say("", "Running on this machine under /bin/sh -c (Ctrl-C stops it):")
            say(script.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + Text(String($0), source: .runbook, role: .code) })
            if !names.isEmpty { say("Its environment holds \(runbook: names.joined(separator: ", ")).") }
        }
        say("")
        mode = .running
        return .run(call)
    }

    /// The command ended: recorded (never its output), its output checked at once by a paste check.
    mutating func ran(_ outcome: RunOutcome) throws(Refused) -> Request {
        mode = .prompt
        ranOutput = nil
        guard let (_, step) = currentStep else { return try next() }
        if let failure = outcome.failure {
            say("Could not run it: \(program: failure).")
            return prompt()
        }
        try record(.commandRan(step: step.id, status: min(255, max(0, outcome.status)), seconds: Int(outcome.seconds.rounded()),
                               via: step.via?.destination))
        if !outcome.streamed {
            let lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false)
            let shown = lines.last == "" ? lines.dropLast() : lines[...]
            say(shown.isEmpty ? ["(it printed nothing)"] : shown.map { Text(String($0), source: .outside) })
        }
        let took = Elapsed.describe(outcome.seconds)
        if outcome.stopped {
            say("Command stopped (Ctrl-C) after \(program: took); its output is not checked. Back at the step.")
            return prompt()
        }
        let status: Text = outcome.status == 0 ? ("exit status 0" as Text).styled(.success)
            : ("exit status \(outcome.status)" as Text).styled(.error)
        say("", "The command ended: " + status + ", after \(program: took).")
        if outcome.status == 255, let via = step.via {
            // ssh's own status: the command never ran on the host.
            say("Exit status 255 is ssh's own: it did not reach \(runbook: via.destination) (see its message above); "
                + "the command did not run there.")
        }
        if outcome.cut {
            say("It printed more than \(program: String(RunCall.outputLimit >> 20)) MiB: only the first MiB was kept for the check.")
        }
        ranOutput = outcome.output
        if case .paste? = step.check { return try startCheck(step, then: .ran) }
        say("", reminder(for: step).styled(.dim))
        return prompt()
    }
}
