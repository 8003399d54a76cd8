import { describeClause } from '../../crm/segments/rule-sentence.js';
import { parseRule } from '../../crm/segments/rule-parser.js';
import { parseAudience } from './audience-parser.js';
import type { ParseContext } from './conditions.js';

/**
 * Which words produced which condition, and what was corrected, defined, asked or left unknown: one line each. Tests
 * print it when a request is misread, and `npm run eval:nl -- --verbose` beside every miss.
 */
export function explain(text: string, ctx: ParseContext): string[] {
  const reading = parseAudience(text, ctx);
  const clause = (rule: unknown) => {
    try {
      return describeClause(parseRule(rule), ctx.currency);
    } catch (error) {
      return `(not a valid rule: ${(error as Error).message})`;
    }
  };
  return [
    ...reading.corrections.map((c) => `typo: "${c.from}" → "${c.to}"`),
    ...reading.conditions.map((c) => `"${c.words}" → ${clause(c.rule)}`),
    ...reading.definitions.map((d) => `defined: ${d}`),
    ...reading.asks.map((a) => `ask: "${a.words}" — ${a.question}`),
    ...reading.unknown.map((w) => `unknown: "${w}"`),
    ...(reading.rank ? [`rank: ${reading.rank.limit} by ${reading.rank.by} ${reading.rank.direction}`] : []),
    ...(reading.everyone ? ['everyone'] : []),
  ];
}
