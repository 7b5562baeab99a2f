import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// Run blocks and `Via:` (issue 16): run-block, via, run-secret.
final class RunBlockRuleTests: XCTestCase {
    func testARunBlockIsAnActionBlockWhoseInfoHoldsRun() {
        let runbook = RunbookParser.parse(source: """
            # T

            ## Test {#test}
            Where: droplet
            Via: ssh deploy@intelliwatt-smt-proxy

            ```bash run
            /home/deploy/smt_token_test.sh
            ```
            """, id: "t")
        let step = runbook.steps[0]
        XCTAssertEqual(step.runBlock?.language, "bash")
        XCTAssertEqual(step.runBlock?.text, "/home/deploy/smt_token_test.sh")
        XCTAssertEqual(step.via, Via(user: "deploy", host: "intelliwatt-smt-proxy"))
        XCTAssertEqual(step.vias.map(\.location), [SourceLocation(line: 5, column: 1)])
        XCTAssertEqual(CodeBlock.kind(ofInfo: "sh run"), .action)
        XCTAssertFalse(CodeBlock(kind: .action, info: "sh", lines: [], location: .init(line: 1, column: 1)).isRun)
        XCTAssertFalse(CodeBlock(kind: .action, info: "sh running", lines: [], location: .init(line: 1, column: 1)).isRun)
    }

    func testViaReadsOnlySshUserAtHost() {
        XCTAssertEqual(Via.parse("ssh deploy@10.0.0.7")?.destination, "deploy@10.0.0.7")
        for bad in ["deploy@host", "ssh host", "ssh -oProxyCommand=x@host", "ssh deploy@-host", "ssh deploy@host extra",
                    "ssh de ploy@host", "ssh deploy@ho;st", "ssh @host", "ssh deploy@", "mosh deploy@host", "ssh deploy@{{HOST}}"] {
            XCTAssertNil(Via.parse(bad), bad)
        }
    }

    func testAtMostOneRunBlock() {
        XCTAssertLint(RunBlockRule(), """
            # T

            ## Test
            Where: laptop

            ```sh run
            echo one
            ```

            1️⃣```bash run
            echo two
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "step \"Test\" has 2 run blocks; `run` runs one command: keep one, and split the step",
                            severity: .error, rule: "run-block"),
            ])
    }

    func testViaWithoutARunBlockMalformedOrTwice() {
        XCTAssertLint(ViaRule(), """
            # T

            ## By hand
            Where: droplet
            1️⃣Via: ssh deploy@droplet

            ```bash
            ./test.sh
            ```

            ## Bad
            Where: droplet
            2️⃣Via: deploy@droplet
            3️⃣Via: ssh deploy@droplet

            ```bash run
            ./test.sh
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "step \"By hand\" has Via: but no run block; mark its action block to run (e.g. ```bash run), or remove Via:",
                            severity: .error, rule: "via"),
                FindingSpec("2️⃣", message: "step \"Bad\" has Via: \"deploy@droplet\", which is not `ssh USER@HOST`; write it as e.g. \"Via: ssh deploy@intelliwatt-smt-proxy\""),
                FindingSpec("3️⃣", message: "step \"Bad\" has 2 Via: lines; a run block runs in one place: keep one"),
            ])
    }

    func testASecretInARunBlockOverSshIsAnErrorAndHereIsFine() {
        XCTAssertLint(RunSecretRule(), """
            # T

            ## Variables
            - `BASE_URL`: base.
            - `ADMIN_TOKEN` (secret): token.

            ## Remote
            Where: droplet
            Via: ssh deploy@droplet

            Prose may name {{ADMIN_TOKEN}}: it is not sent.

            ```bash run
            ./test.sh {{BASE_URL}} 1️⃣{{ADMIN_TOKEN}}
            ```

            ## Here
            Where: laptop

            ```sh run
            curl -H "x: {{ADMIN_TOKEN}}" {{BASE_URL}}
            ```
            """, findings: [
                FindingSpec("1️⃣", message: "secret {{ADMIN_TOKEN}} in a run block over ssh; a secret never leaves this machine on a command line: do that part by hand, or run it here",
                            severity: .error, rule: "run-secret"),
            ])
    }
}
