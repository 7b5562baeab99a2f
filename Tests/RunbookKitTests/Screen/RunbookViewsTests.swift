import XCTest
@testable import RunbookKit
@testable import RunbookModel
@testable import RunbookRun
@testable import RunbookSupport

/// `show` as text, JSON and Mermaid: everything a walk uses is there, conditions included.
final class RunbookViewsTests: XCTestCase {
    static let stub = RunbookParser.parse(source: """
        # Stub

        Ask the stub.

        ## Ask the stub {#stub}
        Where: laptop

        ```sh check
        true
        ```

        Choose: what did the stub answer?
        - `ok`: 501 → #close (if the check passes)
        - `changed`: anything else → #end (if the check fails)
        - `look`: not sure → #close

        Expect: an answer.

        ## Close {#close}
        Where: laptop

        Next: #end
        Expect: done.
        """, id: "stub", path: "stub.md")

    func testShowTextPrintsAConditionAfterTheTarget() {
        let text = RunbookViews.show(Self.stub, style: Style(enabled: false))
        XCTAssertTrue(text.contains("""
            Choose: what did the stub answer?
              1. ok       501 → step 2, Close (if the check passes)
              2. changed  anything else → the end of the run (if the check fails)
              3. look     not sure → step 2, Close

            """), text)
    }

    func testShowJSONHoldsOptionsConditionsJumpsAndCheckKinds() {
        let json = RunbookViews.showJSON(Self.stub)
        let steps = json.range(of: "\"steps\" : [").map { String(json[$0.lowerBound...]) } ?? json
        XCTAssertEqual(steps, """
            "steps" : [
                {
                  "actions" : [

                  ],
                  "captures" : [

                  ],
                  "check" : "sh `true`: exit status 0",
                  "checkKind" : "sh",
                  "choose" : {
                    "options" : [
                      {
                        "condition" : "passes",
                        "handOff" : null,
                        "key" : "ok",
                        "meaning" : "501",
                        "target" : "close"
                      },
                      {
                        "condition" : "fails",
                        "handOff" : null,
                        "key" : "changed",
                        "meaning" : "anything else",
                        "target" : "end"
                      },
                      {
                        "condition" : null,
                        "handOff" : null,
                        "key" : "look",
                        "meaning" : "not sure",
                        "target" : "close"
                      }
                    ],
                    "question" : "what did the stub answer?"
                  },
                  "digest" : "\(Self.stub.steps[0].digest)",
                  "expect" : "an answer.",
                  "handOff" : null,
                  "id" : "stub",
                  "prose" : "",
                  "title" : "Ask the stub",
                  "wait" : null,
                  "where" : "laptop"
                },
                {
                  "actions" : [

                  ],
                  "captures" : [

                  ],
                  "digest" : "\(Self.stub.steps[1].digest)",
                  "expect" : "done.",
                  "handOff" : null,
                  "id" : "close",
                  "next" : "end",
                  "prose" : "",
                  "title" : "Close",
                  "wait" : null,
                  "where" : "laptop"
                }
              ],
              "summary" : "Ask the stub.",
              "tags" : [

              ],
              "title" : "Stub",
              "variables" : [

              ]
            }
            """)
    }

    func testMermaidLabelsAConditionedEdgeWithItsCondition() {
        let chart = MermaidChart.runbook(Self.stub)
        MermaidChartTests.assertFlowchart(chart)
        XCTAssertTrue(chart.contains("""
                s1 -->|ok, if the check passes| s2
                s1 -->|changed, if the check fails| finish
                s1 -->|look| s2
                s2 --> finish

            """), chart)
    }
}
