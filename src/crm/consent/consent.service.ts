import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { systemActor, type Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql, type Queryable } from '../../db/sql.js';
import type { Channel } from '../campaigns/audience.js';
import { NotFound } from '../errors.js';
import { suppressionKey, type ConsentStatus, type SuppressionReason } from './consent-rules.js';
import { readUnsubscribeToken, unsubscribeKey, type UnsubscribeClaim } from './unsubscribe-link.js';
import { consentRepository } from './consent.repository.js';

export interface ChannelConsent { status: ConsentStatus | null; source: string | null; changedAt: string | null }
export type CustomerConsent = Record<Channel, ChannelConsent>;

/** What the public unsubscribe page shows: whose link it is (the address half hidden) and where they stand now. */
export interface UnsubscribeView { channel: Channel; address: string; subscribed: boolean }

const hidden = (address: string | null, channel: Channel) => {
  if (!address) return 'your address';
  if (channel === 'sms') return `…${address.replace(/\D/g, '').slice(-4)}`;
  const [local, domain] = address.split('@');
  return `${local.slice(0, 1)}${'•'.repeat(Math.max(2, Math.min(local.length - 1, 6)))}@${domain}`;
};

/**
 * Consent per customer and channel, and the suppression list. Every change is audited with who made it and why
 * (a person in the CRM, the customer through an unsubscribe link, a carrier's STOP, a bounce).
 */
@Injectable()
export class ConsentService {
  constructor(private readonly sql: Sql, private readonly audit: AuditService, @Inject(CONFIG) private readonly config: Config) {}

  async consentOf(customerIds: number[], db: Queryable = this.sql): Promise<Map<number, CustomerConsent>> {
    const result = new Map<number, CustomerConsent>(customerIds.map((id) => [id, {
      email: { status: null, source: null, changedAt: null }, sms: { status: null, source: null, changedAt: null },
    }]));
    for (const r of await consentRepository.ofCustomers(db, customerIds)) result.get(r.customerId)![r.channel] = { status: r.status, source: r.source, changedAt: r.changedAt.toISOString() };
    return result;
  }

  /** A person in the CRM records a consent (a form signed in a shop, a customer's phone call). */
  async change(actor: Actor, customerId: number, channel: Channel, status: ConsentStatus, source: string) {
    authorize(actor, 'customers.write');
    return this.sql.transaction(async (client) => {
      if (!(await consentRepository.lockCustomer(client, customerId))) throw new NotFound(`There is no customer ${customerId}.`);
      await this.record(client, actor, customerId, channel, status, `${source} (recorded by ${actor.email})`);
      return { customerId, consent: (await this.consentOf([customerId], client)).get(customerId)! };
    });
  }

  /** Writes a consent and audits it in the caller's transaction; a change to the same status keeps the first source. */
  async record(db: Queryable, actor: Actor, customerId: number, channel: Channel, status: ConsentStatus, source: string) {
    const changed = await consentRepository.write(db, customerId, channel, status, source);
    if (changed) await this.audit.record(actor, status === 'granted' ? 'consent.grant' : 'consent.withdraw', `customer:${customerId}`, { channel, source }, db);
    return changed;
  }

  /** Puts addresses on the suppression list; an address already there keeps its first reason. */
  async suppress(db: Queryable, channel: Channel, entries: { address: string; reason: SuppressionReason; detail: string }[]) {
    if (!entries.length) return 0;
    const rowCount = await consentRepository.suppress(db, channel, entries.map((e) => ({ key: suppressionKey(channel, e.address), reason: e.reason, detail: e.detail.slice(0, 500) })));
    if (rowCount) await this.audit.record(systemActor(), 'suppression.add', null, { channel, count: rowCount, reasons: [...new Set(entries.map((e) => e.reason))] }, db);
    return rowCount;
  }

  private async claim(token: string): Promise<UnsubscribeClaim> {
    const key = await unsubscribeKey(this.sql, this.config.UNSUBSCRIBE_SECRET);
    return readUnsubscribeToken(key, token, this.config.UNSUBSCRIBE_LINK_DAYS);
  }

  private async view(claim: UnsubscribeClaim, db: Queryable = this.sql): Promise<UnsubscribeView> {
    const r = await consentRepository.standing(db, claim.customerId, claim.channel);
    // A valid signature for a customer who is gone (erased since) says nothing about anyone.
    if (!r) throw new NotFound('This unsubscribe link belongs to nobody on our list any more; there is nothing to unsubscribe.');
    return { channel: claim.channel, address: hidden(claim.channel === 'email' ? r.email : r.phone, claim.channel), subscribed: !r.unsubscribed && r.status !== 'withdrawn' };
  }

  /** Where the link's customer stands, for the page the link opens. Opening it changes nothing. */
  async linkView(token: string) {
    return this.view(await this.claim(token));
  }

  /**
   * The customer withdraws consent for the link's channel: from the page (a click on "Unsubscribe") or from their
   * mail program (RFC 8058 one-click POST). Doing it twice is the same as once.
   */
  async unsubscribe(token: string, how: 'page' | 'one-click') {
    const claim = await this.claim(token);
    return this.sql.transaction(async (client) => {
      await this.view(claim, client);
      await this.record(client, systemActor(), claim.customerId, claim.channel, 'withdrawn', `${how === 'page' ? 'unsubscribe page' : 'one-click unsubscribe'} (message ${claim.logId})`);
      return this.view(claim, client);
    });
  }

  /** The customer changes their mind on the confirmation page. */
  async resubscribe(token: string) {
    const claim = await this.claim(token);
    return this.sql.transaction(async (client) => {
      await this.view(claim, client);
      await this.record(client, systemActor(), claim.customerId, claim.channel, 'granted', `resubscribed on the unsubscribe page (message ${claim.logId})`);
      return this.view(claim, client);
    });
  }
}
