import { CrmError } from '../errors.js';
import type { SqlParams } from '../segments/rule-compiler.js';

/**
 * Message templates: text with placeholders such as {{first_name}} or {{first_name | "there"}}. A template is
 * checked once, then compiled to one SQL expression, so that the five samples of a plan and the million messages
 * frozen at launch are rendered by the same code inside PostgreSQL.
 */
export const placeholders = {
  first_name: { sql: `nullif(split_part(trim(c.name), ' ', 1), '')`, description: 'First word of the name.' },
  last_name: { sql: `nullif(regexp_replace(trim(c.name), '^\\S+\\s*', ''), '')`, description: 'The rest of the name.' },
  name: { sql: `nullif(trim(c.name), '')`, description: 'Full name.' },
  city: { sql: `nullif(trim(c.city), '')`, description: 'City.' },
  country: { sql: `nullif(trim(c.country), '')`, description: 'Country.' },
  total_spend: { sql: 'money:c.total_spend', description: 'Total spend with the currency sign, e.g. ₹12,500.' },
  average_order_value: { sql: 'money:c.average_order_value', description: 'Average order value with the currency sign.' },
  order_count: { sql: `c.order_count::text`, description: 'Number of orders.' },
  last_order_date: { sql: 'date:c.last_order_at', description: 'Date of the latest order, e.g. 5 Mar 2026.' },
} as const;
export type Placeholder = keyof typeof placeholders;
export const placeholderNames = Object.keys(placeholders) as Placeholder[];

export type TemplatePart = { text: string } | { placeholder: Placeholder; fallback: string | null };

export class TemplateError extends CrmError {
  readonly kind = 'bad_input';
  override get code() {
    return 'bad_template';
  }
  override details() {
    return { problems: this.problems };
  }
  constructor(readonly problems: string[]) {
    super(`The message template is not valid: ${problems.join('; ')}`);
  }
}

export const templateLimits = { length: 5000 } as const;

// {{ name }} or {{ name | "fallback" }} (single or double quotes).
const token = /\{\{\s*([a-zA-Z_][\w]*)\s*(?:\|\s*(?:"([^"]*)"|'([^']*)')\s*)?\}\}/g;

/** Splits a template into text and placeholders, or throws a TemplateError naming every problem. */
export function parseTemplate(template: string): TemplatePart[] {
  const problems: string[] = [];
  if (!template.trim()) problems.push('the message is empty');
  if (template.length > templateLimits.length) problems.push(`the message is longer than ${templateLimits.length} characters`);
  const parts: TemplatePart[] = [];
  let at = 0;
  for (const match of template.matchAll(token)) {
    if (match.index > at) parts.push({ text: template.slice(at, match.index) });
    const name = match[1];
    if (!Object.hasOwn(placeholders, name)) problems.push(`unknown placeholder {{${name}}}; valid placeholders: ${placeholderNames.join(', ')}`);
    else parts.push({ placeholder: name as Placeholder, fallback: match[2] ?? match[3] ?? null });
    at = match.index + match[0].length;
  }
  if (at < template.length) parts.push({ text: template.slice(at) });
  for (const part of parts) {
    if ('text' in part && (part.text.includes('{{') || part.text.includes('}}'))) {
      problems.push(`"${part.text.trim().slice(0, 40)}" has a {{ or }} that is not a placeholder; write {{name}} or {{name | "default"}}`);
    }
  }
  if (problems.length) throw new TemplateError(problems);
  return parts;
}

/** Placeholders without a fallback: customers missing that value would get a message with a gap. */
export function placeholdersWithoutFallback(parts: TemplatePart[]): Placeholder[] {
  return parts.flatMap((p) => ('placeholder' in p && p.fallback === null ? [p.placeholder] : []));
}

/** html: an email body (customer data HTML-escaped); plain: an SMS or a subject line (control characters removed). */
export interface RenderSettings { format: 'html' | 'plain'; currencySymbol: string; currency: string; zone: string }

function valueSql(placeholder: Placeholder, params: SqlParams, settings: RenderSettings): string {
  const sql: string = placeholders[placeholder].sql;
  if (sql.startsWith('money:')) {
    const column = sql.slice(6);
    // Rupees are grouped in lakhs and crores (1,00,000); other currencies in thousands. Whole amounts lose ".00".
    const pattern = settings.currency === 'INR' ? 'FM99,99,99,99,99,990.00' : 'FM999,999,999,999,990.00';
    return `case when ${column} is null then null else ${params.add(settings.currencySymbol)}::text || regexp_replace(to_char(${column}, '${pattern}'), '\\.00$', '') end`;
  }
  if (sql.startsWith('date:')) return `to_char(${sql.slice(5)} at time zone ${params.add(settings.zone)}::text, 'FMDD Mon YYYY')`;
  return sql;
}

/**
 * Customer data is escaped for the format: HTML entities in an email body (a name like "<script>" arrives as text),
 * and no control characters in plain text (an SMS, a subject line, where a line break would forge a header). The marketer's own text and fallbacks are used as written.
 */
function escapeSql(value: string, format: RenderSettings['format']) {
  if (format === 'plain') return `regexp_replace(${value}, '[[:cntrl:]]', ' ', 'g')`;
  return `replace(replace(replace(replace(replace(${value}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;
}

/** One SQL text expression over the customers row `c` that renders the message. */
export function templateSql(parts: TemplatePart[], params: SqlParams, settings: RenderSettings): string {
  const pieces = parts.map((part) => {
    // concat() takes any type, so each parameter says it is text.
    if ('text' in part) return `${params.add(part.text)}::text`;
    const value = escapeSql(valueSql(part.placeholder, params, settings), settings.format);
    return `coalesce(${value}, ${params.add(part.fallback ?? '')}::text)`;
  });
  return `concat(${pieces.join(', ')})`;
}

/**
 * A subject every customer would see empty: nothing but spaces around placeholders that have no fallback. Mail
 * programs show "(no subject)" and spam filters punish it, so such a template is refused.
 */
export function canRenderEmpty(parts: TemplatePart[]): boolean {
  return parts.every((p) => ('text' in p ? !p.text.trim() : !p.fallback?.trim()));
}
