/**
 * The customer fields a rule may name: the only column expressions that ever reach SQL. Each has a type, which
 * decides its operators, and a label used in the English sentence of a rule.
 */
export const fieldTypes = ['number', 'text', 'date', 'tags', 'boolean'] as const;
export type FieldType = (typeof fieldTypes)[number];

export interface FieldDefinition {
  type: FieldType;
  /** SQL over the customers row aliased `c`. */
  column: string;
  /** Whether the column can be NULL (a customer with no orders has no last order date). */
  nullable: boolean;
  label: string;
  money?: boolean;
  /** Whole numbers only (counts, days). */
  whole?: boolean;
  description: string;
}

export const fields = {
  total_spend: { type: 'number', column: 'c.total_spend', nullable: false, label: 'total spend', money: true, description: 'Sum of all order totals (refunds subtract).' },
  order_count: { type: 'number', column: 'c.order_count', nullable: false, label: 'number of orders', whole: true, description: 'Orders placed (pending or completed); one order is one visit.' },
  average_order_value: { type: 'number', column: 'c.average_order_value', nullable: true, label: 'average order value', money: true, description: 'Total spend divided by number of orders.' },
  first_order_date: { type: 'date', column: 'c.first_order_at', nullable: true, label: 'first order date', description: 'When the first order was placed.' },
  last_order_date: { type: 'date', column: 'c.last_order_at', nullable: true, label: 'last order date', description: 'When the latest order was placed.' },
  days_since_last_order: { type: 'number', column: 'c.last_order_at', nullable: true, label: 'days since the last order', whole: true, description: 'Whole days between the latest order and now; not set for customers who never ordered.' },
  created_at: { type: 'date', column: 'c.created_at', nullable: false, label: 'date they became a customer', description: 'When the customer record was created.' },
  name: { type: 'text', column: 'c.name', nullable: true, label: 'name', description: 'Full name.' },
  email: { type: 'text', column: 'c.email', nullable: true, label: 'email', description: 'Email address.' },
  email_domain: { type: 'text', column: `split_part(c.email, '@', 2)`, nullable: true, label: 'email domain', description: 'The part of the email after @, e.g. gmail.com.' },
  phone: { type: 'text', column: 'c.phone', nullable: true, label: 'phone', description: 'Phone number.' },
  city: { type: 'text', column: 'c.city', nullable: true, label: 'city', description: 'City.' },
  country: { type: 'text', column: 'c.country', nullable: true, label: 'country', description: 'Country.' },
  tags: { type: 'tags', column: 'c.tags', nullable: false, label: 'tags', description: 'Labels given to the customer; matched exactly.' },
  unsubscribed: { type: 'boolean', column: 'c.unsubscribed_at', nullable: false, label: 'unsubscribed', description: 'Whether the customer asked to receive no campaigns.' },
} as const satisfies Record<string, FieldDefinition>;

export type FieldName = keyof typeof fields;
export const fieldNames = Object.keys(fields) as FieldName[];

/** Operators by field type. Symbols (=, ≠, >, ≥, <, ≤) are accepted as aliases of the number operators. */
export const operatorsByType = {
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'is_set', 'is_empty'],
  text: ['equals', 'in', 'contains', 'starts_with', 'is_set', 'is_empty'],
  date: ['before', 'after', 'between', 'within_last', 'more_than_ago', 'is_set', 'is_empty'],
  tags: ['contains', 'in', 'is_set', 'is_empty'],
  boolean: ['is'],
} as const satisfies Record<FieldType, readonly string[]>;

export type Operator = (typeof operatorsByType)[FieldType][number];

export const operatorAliases: Record<string, string> = {
  '=': 'eq', '==': 'eq', '≠': 'neq', '!=': 'neq', '<>': 'neq', '>': 'gt', '≥': 'gte', '>=': 'gte', '<': 'lt', '≤': 'lte', '<=': 'lte',
};

/** Each operator in the words a form shows beside a field ("total spend" "more than" "10000"). */
export const operatorLabels: Record<Operator, string> = {
  eq: 'exactly', neq: 'anything but', gt: 'more than', gte: 'at least', lt: 'less than', lte: 'at most', between: 'between',
  equals: 'is', in: 'is one of', contains: 'contains', starts_with: 'starts with', before: 'before', after: 'after',
  within_last: 'within the last', more_than_ago: 'more than … ago', is_set: 'is set', is_empty: 'is empty', is: 'is',
};

/** One field as the rule form and any client list it: name, words, type and the operators it takes. */
export interface RuleField { name: FieldName; label: string; type: FieldType; description: string; operators: { op: Operator; label: string }[] }

/** Every field a rule may name, for GET /api/segments/fields: the one list clients build their forms from. */
export const ruleFieldList = (): RuleField[] => (Object.entries(fields) as [FieldName, FieldDefinition][]).map(([name, f]) => ({
  name, label: f.label, type: f.type, description: f.description,
  operators: (operatorsByType[f.type] as readonly Operator[]).map((op) => ({ op, label: operatorLabels[op] })),
}));
