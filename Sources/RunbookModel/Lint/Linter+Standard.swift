import RunbookSupport
extension Linter {
    /// The house rules of section 2 of the spec, in its table order, then the extras.
    public static let standardRules: [any LintRule] = [
        TitleRule(),
        NoStepsRule(),
        WhereRule(),
        OneActionRule(),
        OneExpectRule(),
        CursorSingleBlockRule(),
        RunBlockRule(),
        ViaRule(),
        RunSecretRule(),
        GuardrailRule(),
        DuplicateStepRule(),
        UndeclaredVariableRule(),
        SecretDefaultRule(),
        VariableFormatRule(),
        CheckSyntaxRule(),
        UnknownTargetRule(),
        ChoiceSyntaxRule(),
        CaptureRule(),
        WaitRule(),
        UnclosedFenceRule(),
        UnusedVariableRule(),
        NoExpectRule(),
        UnreachableStepRule(),
        NoWayOutRule(),
        FileNameRule(),
        ListItemRule(),
    ]

    /// The house rules that need every runbook of the folder at once.
    public static let standardCatalogRules: [any CatalogLintRule] = [
        DuplicateIDRule(),
        HandOffTargetRule(),
    ]
}
