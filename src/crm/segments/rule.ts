import { BadInput, type Problem } from '../errors.js';
import type { PeriodUnit } from '../time/clock.js';
import type { FieldName, Operator } from './rule-fields.js';

/**
 * A parsed rule. The stored form is the JSON a person or the agent wrote (see docs/rules.md); this is what the
 * compiler, the sentence writer and the checks work on.
 */
export type RuleNode = GroupNode | NotNode | FieldCondition | BoughtCondition | OrderedCondition | ReceivedCondition | DeliveryFailedCondition;

export interface GroupNode { kind: 'all' | 'any'; rules: RuleNode[] }
export interface NotNode { kind: 'not'; rule: RuleNode }
export interface Period { amount: number; unit: PeriodUnit }
export type ConditionValue = number | string | boolean | string[] | [number, number] | [string, string] | Period | undefined;
export interface FieldCondition { kind: 'field'; field: FieldName; op: Operator; value: ConditionValue }
/** Days (YYYY-MM-DD, where the business is, both included) an order must fall between; either may be left open. */
export interface OrderDays { from?: string; to?: string }
/** Bought a product (by exact sku, or description containing a word), optionally recently, between days, repeatedly. */
export interface BoughtCondition extends OrderDays { kind: 'bought'; sku?: string; contains?: string; withinDays?: number; atLeast: number }
/**
 * Placed orders in a time: "ordered in November", "ordered at least 3 times in 2025". The customer's figures only
 * know the first and the last order, which cannot say whether one fell in a given month.
 */
export interface OrderedCondition extends OrderDays { kind: 'ordered'; withinDays?: number; atLeast: number }
/** A campaign's message reached them (the vendor reported it sent). */
export interface ReceivedCondition { kind: 'received'; campaignId: number }
/** A message to them failed, optionally recently. */
export interface DeliveryFailedCondition { kind: 'delivery_failed'; withinDays?: number }

/** What a rule limits, so one request cannot ask PostgreSQL for a query of unbounded size. */
// Behaviour conditions (bought, received, delivery failed) each hold a set of customers in the database's memory
// while a rule is counted: ten of them cover any real audience and bound that memory.
export const ruleLimits = { depth: 8, conditions: 100, behaviourConditions: 10, listValues: 1000, textLength: 200 } as const;

/** A rule that does not parse: bad input with its own code and sentence. */
export class RuleError extends BadInput {
  override get code() {
    return 'bad_rule';
  }
  constructor(problems: Problem[]) {
    super(problems, `The rule is not valid: ${problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
  }
}
