import RunbookModel
import RunbookRun
// TEMPORARY: until the reducer and model branches land.
public enum ChoiceCondition: String, Hashable, Sendable { case passes, fails }
extension ChoiceOption { var condition: ChoiceCondition? { nil } }
extension RunState {
    func number(of index: Int) -> Int { index + 1 }
    var progress: (done: Int, left: Int) { (doneCount + skippedCount, steps.count { $0.status == .pending }) }
    func passes(of id: String) -> Int { 0 }
}
