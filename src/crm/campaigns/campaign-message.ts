import type { Config } from '../../config/config.schema.js';
import { currencySymbol } from '../format.js';
import { SqlParams } from '../segments/rule-compiler.js';
import { addressSql, type Channel } from './audience.js';
import { canRenderEmpty, parseTemplate, templateSql, TemplateError, type TemplatePart } from './message-template.js';

/** What one version of a campaign's message says: the email subject (or none) and the body template. */
export interface MessageDefinition { channel: Channel; subject: string | null; template: string }

/** What a channel's message is made of: the template, and for SMS the opt-out line the operator requires. */
export function messageParts(config: Config, channel: Channel, template: string): TemplatePart[] {
  const parts = parseTemplate(template);
  const optOut = config.SMS_OPT_OUT_TEXT.trim();
  if (channel === 'sms' && optOut && !/\bSTOP\b/i.test(template)) parts.push({ text: `\n${optOut}` });
  return parts;
}

/** The subject's parts; refused when every customer would get an empty subject. */
export function subjectParts(definition: MessageDefinition): TemplatePart[] | null {
  if (definition.channel !== 'email' || definition.subject == null) return null;
  const parts = parseTemplate(definition.subject);
  if (canRenderEmpty(parts)) throw new TemplateError(['the subject can come out empty: give its placeholders a fallback, as in {{first_name | "Hello"}}, or add words around them']);
  return parts;
}

/**
 * The SQL that renders one message for customer `c`: body, subject and address. Launch, the A/B winner's send and
 * the plan's samples all render through here, so what a person previewed is what leaves.
 */
export function messageSql(config: Config, definition: MessageDefinition, params: SqlParams) {
  const parts = messageParts(config, definition.channel, definition.template);
  const subject = subjectParts(definition);
  const render = { currency: config.CURRENCY, currencySymbol: currencySymbol(config.CURRENCY), zone: config.TIME_ZONE };
  return {
    parts,
    message: templateSql(parts, params, { ...render, format: definition.channel === 'email' ? 'html' : 'plain' }),
    subject: subject ? templateSql(subject, params, { ...render, format: 'plain' }) : 'null::text',
    address: addressSql(definition.channel),
  };
}

/** Refuses a message that could not be rendered (an unknown placeholder, a subject that can come out empty). */
export function checkMessage(config: Config, message: { channel: Channel; subject?: string | null; template: string }) {
  messageSql(config, { channel: message.channel, subject: message.subject ?? null, template: message.template }, new SqlParams());
}
