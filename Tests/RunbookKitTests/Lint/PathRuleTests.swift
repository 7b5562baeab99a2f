import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// The rules about paths: unknown-target, choice-syntax, unreachable-step, no-way-out.
final class PathRuleTests: XCTestCase {
    func testParsingChooseAndNext() throws {
        let runbook = RunbookParser.parse(source: """
            # Paths

            ## Read the answer {#triage}
            Where: droplet

            Look at `statusCode`.

            Choose: what did it answer?
            - `ok`: 200, the token works → #close
            - `401`: the password is wrong -> #rotate

            - `timeout`: no answer in 30 s → #end

            Expect: a choice.

            ## Rotate {#rotate}
            Where: SMT portal

            Next: #close
            Expect: a new password.

            ## Close {#close}
            Where: laptop

            Expect: done.
            """, id: "paths")
        let triage = runbook.steps[0]
        let choice = try XCTUnwrap(triage.choice)
        XCTAssertEqual(choice.question, "what did it answer?")
        XCTAssertEqual(choice.location, SourceLocation(line: 8, column: 1))
        XCTAssertEqual(choice.options.map(\.key), ["ok", "401", "timeout"])
        XCTAssertEqual(choice.options.map(\.meaning), ["200, the token works", "the password is wrong", "no answer in 30 s"])
        XCTAssertEqual(choice.options.map(\.target.value), ["close", "rotate", "end"])
        XCTAssertEqual(choice.options[0].location, SourceLocation(line: 9, column: 1))
        XCTAssertEqual(choice.options[0].target.location, SourceLocation(line: 9, column: 32))
        XCTAssertEqual(choice.options[1].target.location, SourceLocation(line: 10, column: 35))
        XCTAssertEqual(triage.prose, ["Look at `statusCode`."], "Choose: and its options are not prose")
        XCTAssertEqual(triage.expect?.value, "a choice.")
        XCTAssertEqual(runbook.steps[1].next, "close")
        XCTAssertEqual(runbook.steps[1].nexts.first?.location, SourceLocation(line: 19, column: 1))
        XCTAssertEqual(runbook.steps[1].expect?.value, "a new password.")
        XCTAssertEqual(StepRecord(triage).options, [OptionRecord(key: "ok", target: "close"), OptionRecord(key: "401", target: "rotate"),
                                                    OptionRecord(key: "timeout", target: "end")])
        XCTAssertEqual(StepRecord(runbook.steps[1]).next, "close")
        XCTAssertNil(StepRecord(runbook.steps[2]).options)
    }

    func testUnknownTargets() {
        XCTAssertLint(UnknownTargetRule(), """
            # Paths

            ## Read the answer {#triage}
            Where: droplet

            Choose:
            - `ok`: fine → #close
            - `bad`: not fine → 0️⃣#clsoe
            - `stop`: give up → #end

            Expect: a choice.

            ## Close {#close}
            Where: laptop

            1️⃣Next: #nowhere
            Expect: done.
            """, findings: [
                FindingSpec("0️⃣", message: "step \"Read the answer\" leads to #clsoe, which is no step of this runbook; did you mean #close? write a step id or #end"),
                FindingSpec("1️⃣", message: "step \"Close\" leads to #nowhere"),
            ])
    }

    func testChoiceSyntax() {
        XCTAssertLint(ChoiceSyntaxRule(), """
            # Paths

            ## One option {#one}
            Where: droplet

            0️⃣Choose:
            - `ok`: fine → #two

            Expect: x.

            ## Bad options {#two}
            Where: droplet

            Choose:
            1️⃣- ok: no backticks → #three
            2️⃣- `a`: no arrow #three
            3️⃣- `Bad`: uppercase → #three
            4️⃣- `done`: a prompt word → #three
            - `fine`: first → #three
            5️⃣- `fine`: again → #three
            6️⃣- `1`: the number of another → #three
            7️⃣- `b`: not a target → three!

            Expect: x.

            ## Both {#three}
            Where: droplet

            Choose:
            - `x`: one → #four
            - `y`: two → #four
            8️⃣Next: #four
            Expect: x.

            ## Nexts {#four}
            Where: laptop

            9️⃣Next: four!
            🔟Next: #end
            Expect: x.
            """, findings: [
                FindingSpec("0️⃣", message: "step \"One option\" offers 1 option after Choose:; a decision needs two or more (use Next: for a single jump)"),
                FindingSpec("1️⃣", message: "an option is written - `KEY`: meaning → #target, with the KEY in backticks"),
                FindingSpec("2️⃣", message: "an option is written - `KEY`: meaning → #target: the arrow and the #target are missing"),
                FindingSpec("3️⃣", message: "the KEY `Bad` is not lowercase letters, digits and dashes"),
                FindingSpec("4️⃣", message: "the KEY `done` is a prompt word; pick another"),
                FindingSpec("5️⃣", message: "the KEY `fine` is used twice in this Choose:"),
                FindingSpec("6️⃣", message: "the KEY `1` is also the number of option 1; use a word"),
                FindingSpec("7️⃣", message: "`three!` is not a target (#step-id, #end, or another runbook's id)"),
                FindingSpec("8️⃣", message: "step \"Both\" has both Choose: and Next:; keep one"),
                FindingSpec("9️⃣", message: "write Next: #step-id, Next: #end or Next: RUNBOOK-ID (a hand-off), not `Next: four!`"),
                FindingSpec("🔟", message: "step \"Nexts\" has 2 Next: lines; keep one"),
            ])
    }

    func testUnreachableSteps() {
        XCTAssertLint(UnreachableStepRule(), """
            # Paths

            ## Triage {#triage}
            Where: droplet

            Choose:
            - `a`: first → #a
            - `b`: second → #b

            Expect: x.

            0️⃣## Orphan {#orphan}
            Where: droplet

            Expect: never reached: triage jumps over it either way.

            ## A {#a}
            Where: droplet

            Next: #close
            Expect: x.

            ## B {#b}
            Where: droplet

            Next: #end
            Expect: x.

            ## Close {#close}
            Where: laptop

            Next: #end
            Expect: x.

            1️⃣## After the end {#after}
            Where: laptop

            Expect: x.
            """, findings: [
                FindingSpec("0️⃣", message: "no path from the first step reaches step \"Orphan\"; point an option or a Next: at #orphan, or remove the step"),
                FindingSpec("1️⃣", message: "no path from the first step reaches step \"After the end\""),
            ])
    }

    func testALineRunbookIsAllReachable() {
        XCTAssertLint(UnreachableStepRule(), """
            # Line

            ## One
            Where: a

            Expect: x.

            ## Two
            Where: b

            Expect: x.
            """, findings: [])
    }

    func testParsingOptionConditions() throws {
        let runbook = RunbookParser.parse(source: """
            # Conditions

            ## Ask the stub {#stub}
            Where: laptop

            ```sh check
            true
            ```

            Choose: what did the stub answer?
            - `ok`: 501, pointing to the droplet → #close (if the check passes)
            - `changed`: anything else -> #close   (If The Check Fails)
            - `unsure`: not sure (if the check fails) → #end
            - `plain`: no condition → #close

            Expect: x.

            ## Close {#close}
            Where: laptop

            Expect: x.
            """, id: "conditions")
        let options = try XCTUnwrap(runbook.steps[0].choice?.options)
        XCTAssertEqual(options.map(\.key), ["ok", "changed", "unsure", "plain"])
        XCTAssertEqual(options.map(\.meaning), ["501, pointing to the droplet", "anything else", "not sure", "no condition"])
        XCTAssertEqual(options.map(\.condition), [.passes, .fails, .fails, nil])
        XCTAssertEqual(options.map(\.target.value), ["close", "close", "end", "close"])
        XCTAssertEqual(options[0].target.location, SourceLocation(line: 11, column: 40))
        XCTAssertEqual(runbook.steps[0].choice?.malformed, [])
    }

    func testAConditionNeedsACheckAndItsOwnWords() {
        XCTAssertLint(ChoiceSyntaxRule(), """
            # Conditions

            ## No check {#one}
            Where: laptop

            Choose:
            0️⃣- `ok`: fine → #two (if the check passes)
            - `bad`: not fine → #two

            Expect: x.

            ## With a check {#two}
            Where: laptop

            ```sh check
            true
            ```

            Choose:
            - `ok`: fine → #end (if the check passes)
            1️⃣- `bad`: not fine → #end (if it fails)

            Expect: x.
            """, findings: [
                FindingSpec("0️⃣", message: "the option `ok` ends (if the check passes), but step \"No check\" has no check block; add one, or drop the condition"),
                FindingSpec("1️⃣", message: "an option's condition is written (if the check passes) or (if the check fails), at the end of the line"),
            ])
    }

    func testARunbookNoPathCanFinishHasNoWayOut() {
        XCTAssertLint(NoWayOutRule(), """
            # Trap

            ## Start {#start}
            Where: laptop

            Expect: x.

            1️⃣## Decide {#decide}
            Where: laptop

            Choose:
            - `retry`: again → #start
            - `stay`: once more → #decide

            Expect: x.

            ## Finish {#finish}
            Where: laptop

            Expect: never reached.
            """, findings: [
                FindingSpec("1️⃣", message: "no path from the first step reaches the end of the runbook: a walk goes round #start, #decide for good; give step \"Decide\" a way out, e.g. an option → #end"),
            ])
    }

    func testOneWayOutIsEnough() {
        // Out by #end, or by running off the last step in file order.
        for (way, finish) in [("→ #end", "Next: #start"), ("→ #finish", "")] {
            XCTAssertLint(NoWayOutRule(), """
                # Loop with a way out

                ## Start {#start}
                Where: laptop

                Expect: x.

                ## Decide {#decide}
                Where: laptop

                Choose:
                - `retry`: again → #start
                - `out`: done \(way)

                Expect: x.

                ## Finish {#finish}
                Where: laptop

                \(finish)
                Expect: x.
                """, findings: [])
        }
        XCTAssertLint(NoWayOutRule(), """
            # Unknown target

            ## Start {#start}
            Where: laptop

            Next: #nowhere
            Expect: unknown-target reports this; no-way-out does not guess.
            """, findings: [])
    }
}
