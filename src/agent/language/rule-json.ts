/** A rule in the CRM rule language's JSON (docs/rules.md), as the parser writes it for the tools. */
export type RuleJson = Record<string, unknown>;
