import type { Sql } from '../../db/sql.js';
import { logger } from '../../logging/logger.js';

/** Figures that took longer than this to compute are kept and served from the copy. */
const SLOW_MS = 500;
/** A kept copy younger than this is served as it is; an older one is served while a fresh one is computed. */
const FRESH_MS = 60_000;
/** A copy older than this is not served at all: the figures are computed while the person waits. */
const TOO_OLD_MS = 3_600_000;

export interface Snapshot<T> { figures: T; asOf: Date | null }

/**
 * Dashboard figures, computed each time while that is quick, and kept once they take seconds (a large CRM): then the
 * kept copy is served, with the time it was computed, and a fresh one is computed behind it at most once a minute,
 * by one process at a time. An import finished since the copy was made outdates it: the person who just imported
 * waits for figures that include their data.
 */
export class AnalyticsSnapshots {
  private readonly refreshing = new Map<string, Promise<unknown>>();
  private readonly computing = new Map<string, Promise<Snapshot<unknown>>>();

  constructor(private readonly sql: Sql, private readonly clock: () => Date) {}

  async get<T>(name: string, compute: () => Promise<T>): Promise<Snapshot<T>> {
    const [kept] = await this.sql.rows<{ figures: T; computed_at: Date; outdated: boolean }>(
      `select figures, computed_at, coalesce((select max(finished_at) from imports) > computed_at, false) as outdated
       from analytics_snapshots where name = $1`, [name]);
    const age = kept ? this.clock().getTime() - kept.computed_at.getTime() : Infinity;
    if (kept && !kept.outdated && age < TOO_OLD_MS) {
      if (age >= FRESH_MS) this.refreshBehind(name, compute);
      return { figures: kept.figures, asOf: kept.computed_at };
    }
    // Many people opening the dashboard at once share one computation in this process.
    let running = this.computing.get(name) as Promise<Snapshot<T>> | undefined;
    if (!running) {
      running = this.compute(name, compute).finally(() => this.computing.delete(name));
      this.computing.set(name, running);
    }
    return running;
  }

  private async compute<T>(name: string, compute: () => Promise<T>): Promise<Snapshot<T>> {
    const started = performance.now();
    const figures = await compute();
    const milliseconds = Math.round(performance.now() - started);
    if (milliseconds < SLOW_MS) {
      await this.sql.query(`delete from analytics_snapshots where name = $1`, [name]);
      return { figures, asOf: null };
    }
    const asOf = this.clock();
    await this.sql.query(
      `insert into analytics_snapshots (name, figures, computed_at, milliseconds) values ($1, $2, $3, $4)
       on conflict (name) do update set figures = excluded.figures, computed_at = excluded.computed_at, milliseconds = excluded.milliseconds`,
      [name, JSON.stringify(figures), asOf, milliseconds],
    );
    return { figures, asOf };
  }

  private refreshBehind<T>(name: string, compute: () => Promise<T>) {
    if (this.refreshing.has(name)) return;
    const run = this.sql.transaction(async (client) => {
      // Another server computing the same figures now: this one leaves it to them.
      const [{ mine }] = (await client.query<{ mine: boolean }>(`select pg_try_advisory_xact_lock(hashtext('analytics:' || $1)) as mine`, [name])).rows;
      if (mine) await this.compute(name, compute);
    }).catch((error) => logger.warn('dashboard figures not refreshed', { name, reason: (error as Error).message }))
      .finally(() => this.refreshing.delete(name));
    this.refreshing.set(name, run);
  }
}
