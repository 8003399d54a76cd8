import { logger } from '../logging/logger.js';
import type { Queryable } from '../db/sql.js';

/** Everything the CRM announces to connected clients, by name. One map, so sender and receiver agree on each payload. */
export interface CrmEvents {
  connected: { role: string };
  'import.progress': { importId: string; lines: number; linesPerSecond: number; secondsLeft: number | null; fraction: number };
  'import.finished': { importId: string; status: 'succeeded' | 'failed'; received: number; inserted: number; updated: number; unchanged: number; rejected: number; skipped: number; error: string | null };
  'campaign.progress': {
    campaignId: number; status: string; audience: number; queued: number; submitted: number; sent: number; failed: number;
    unconfirmed: number; pending: number; deliveryRate: number | null; stalled: string | null;
  };
  /** A campaign's attribution window has closed: its report is final. */
  'campaign.report': { campaignId: number; name: string };
  /** A run of a recurring campaign: sent, or held because it would exceed a cap (the automation is then paused). */
  'automation.run': { automationId: number; name: string; status: 'sent' | 'held'; campaignId: number; recipients: number; reason: string | null };
  /** A journey stopped, or a business day of its work is over: one line for the team. */
  'journey.notice': { automationId: number; key: string; text: string };
}
export type CrmEventName = keyof CrmEvents;

/** Who may see an event: its owner (a user id) and admins; null owner means admins only. */
export interface EventEnvelope<E extends CrmEventName = CrmEventName> { event: E; ownerId: number | null; data: CrmEvents[E] }

export const EVENTS_CHANNEL = 'crm_events';

/**
 * Publishes through PostgreSQL NOTIFY, so an event raised in a worker process reaches the websocket clients of
 * whichever server process they are connected to.
 */
export class EventBus {
  constructor(private readonly db: Queryable) {}

  async publish<E extends CrmEventName>(event: E, ownerId: number | null, data: CrmEvents[E]) {
    const envelope: EventEnvelope<E> = { event, ownerId, data };
    await this.db.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(envelope)]).catch((error) => {
      logger.warn('event not published', { event, reason: (error as Error).message });
    });
  }
}
