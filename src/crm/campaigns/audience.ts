import { consentSql, needsGrantedConsent, suppressedSql } from '../consent/consent-rules.js';
import type { SqlParams } from '../segments/rule-compiler.js';

export type Channel = 'email' | 'sms';
export const exclusionReasons = ['unsubscribed', 'no_consent', 'no_address', 'suppressed', 'recently_sent', 'frequency_cap'] as const;
export type ExclusionReason = (typeof exclusionReasons)[number];

export interface FrequencyCap { messages: number; days: number }

/** The address a message goes to, by channel; NULL when the customer has none that can be used. */
export function addressSql(channel: Channel) {
  return channel === 'email'
    ? `case when c.email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' then lower(c.email) end`
    : `case when length(regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g')) between 7 and 15 then c.phone end`;
}

/**
 * Why a matching customer will not get the message, or NULL when they will. The first reason wins, in this order:
 * they asked for no campaigns, or withdrew consent for this channel; the channel needs a consent they never gave
 * (SMS); they have no address for the channel; the address is on the suppression list (a hard bounce, a complaint,
 * an SMS STOP, an operator's block); a recurring campaign already reached them within its `recent.days` (any of its
 * runs); they already had `cap.messages` messages in the last `cap.days` days (failed and skipped messages do not
 * count: they never reached the person; messages still waiting to go, scheduled ones among them, do).
 */
export function exclusionSql(channel: Channel, cap: FrequencyCap, since: Date, params: SqlParams, recent?: { automationId: number; since: Date }) {
  const consent = consentSql(params.add(channel));
  return `case
    when c.unsubscribed_at is not null or ${consent} = 'withdrawn' then 'unsubscribed'
    ${needsGrantedConsent[channel] ? `when ${consent} is distinct from 'granted' then 'no_consent'` : ''}
    when (${addressSql(channel)}) is null then 'no_address'
    when ${suppressedSql(channel, addressSql(channel), params)} then 'suppressed'
    ${recent ? `when exists (select 1 from communication_logs m join campaigns k on k.id = m.campaign_id where m.customer_id = c.id
      and k.automation_id = ${params.add(recent.automationId)} and m.status not in ('failed', 'skipped')
      and (m.status = 'queued' or coalesce(m.sent_at, m.created_at) >= ${params.add(recent.since)})) then 'recently_sent'` : ''}
    when (select count(*) from communication_logs m where m.customer_id = c.id and m.status not in ('failed', 'skipped')
      and (m.status = 'queued' or coalesce(m.sent_at, m.created_at) >= ${params.add(since)})) >= ${params.add(cap.messages)} then 'frequency_cap'
  end`;
}
