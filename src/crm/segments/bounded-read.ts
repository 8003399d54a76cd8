import type pg from 'pg';
import type { Sql } from '../../db/sql.js';
import { logger } from '../../logging/logger.js';
import { Cancelled, Refused } from '../errors.js';

/** How long an audience count may run, how costly a plan it may have, and the caller's signal that it went away. */
export interface ReadLimits { timeoutMs: number; maxCost?: number; signal?: AbortSignal }

/** The caller went away (a closed tab, a dropped connection): the query was cancelled and nobody waits for an answer. */
export class ReadAbandoned extends Cancelled {
  constructor() {
    super('The request was cancelled before the count finished.');
  }
}

const QUERY_CANCELED = '57014';

/**
 * Runs one read-only statement under limits, on a connection of its own: PostgreSQL stops it at `timeoutMs`
 * (statement_timeout, so the server itself enforces it); the caller's signal cancels it at once (pg_cancel_backend);
 * and with `maxCost`, a statement the planner expects to be costlier is refused before it runs.
 */
export async function boundedRows<T extends pg.QueryResultRow>(sql: Sql, text: string, params: unknown[], limits: ReadLimits): Promise<T[]> {
  if (limits.signal?.aborted) throw new ReadAbandoned();
  const client = await sql.checkout();
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    sql.query('select pg_cancel_backend($1)', [(client as unknown as { processID: number }).processID]).catch((error) => logger.warn('count not cancelled', { reason: (error as Error).message }));
  };
  limits.signal?.addEventListener('abort', cancel, { once: true });
  let broken: Error | undefined;
  try {
    await client.query('begin read only');
    await client.query(`set local statement_timeout = ${Math.max(1, Math.round(limits.timeoutMs))}`);
    // A "bought" condition is a set of customer ids that PostgreSQL hashes once and probes per customer; it only
    // hashes when the set fits in work_mem, and otherwise rescans the set for every customer (seconds become
    // hours). 64 MB holds a million ids; a rule holds at most ten such sets (ruleLimits), which bounds the memory.
    await client.query(`set local work_mem = '64MB'`);
    if (limits.maxCost !== undefined) {
      const plan = (await client.query<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number; 'Plan Rows': number } }] }>(`explain (format json) ${text}`, params)).rows[0]['QUERY PLAN'][0].Plan;
      if (plan['Total Cost'] > limits.maxCost) {
        throw new Refused(`This rule would take too long to count (the database estimates ${Math.round(plan['Total Cost'] / limits.maxCost)} times the allowed work, PREVIEW_MAX_COST), so it was not run. Narrow it: fewer "bought" conditions, or longer product words that match fewer products.`);
      }
    }
    const rows = (await client.query<T>(text, params)).rows;
    await client.query('commit');
    return rows;
  } catch (error) {
    await client.query('rollback').catch((lost: Error) => { broken = lost; });
    if ((error as { code?: string }).code === QUERY_CANCELED) {
      if (limits.signal?.aborted) throw new ReadAbandoned();
      throw new Refused(`Counting this audience took longer than ${formatSeconds(limits.timeoutMs)} (PREVIEW_TIMEOUT_SECONDS), so it was stopped. Narrow the rule — fewer "bought" conditions, or longer product words — and try again.`);
    }
    throw error;
  } finally {
    limits.signal?.removeEventListener('abort', cancel);
    // A cancel request may still be on its way: that connection is closed, so it can never stop someone else's query.
    client.release(broken ?? (cancelled ? new Error('cancelled') : undefined));
  }
}

const formatSeconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`);
