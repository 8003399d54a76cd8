import type { Queryable } from '../../../db/sql.js';

/**
 * Takes a provider's event once: true the first time, false for a retry or a replay, which then changes nothing.
 * Run it in the transaction that applies the event, so an event is marked taken only if it was applied.
 */
export async function takeOnce(db: Queryable, provider: string, eventId: string): Promise<boolean> {
  const { rowCount } = await db.query(`insert into provider_events (provider, event_id) values ($1, $2) on conflict do nothing`, [provider, eventId]);
  return (rowCount ?? 0) > 0;
}
