import pg from 'pg';
import { logger } from '../logging/logger.js';

// bigint columns (ids, counts) fit in a JS number in this CRM; numeric amounts stay strings so they are never rounded.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * True for a transaction PostgreSQL aborted so that another could go on (a deadlock, a serialization failure): run
 * again, it goes through.
 */
export const isRetryable = (error: unknown): boolean => ['40P01', '40001'].includes((error as { code?: string }).code ?? '');

/** A pool or a client inside a transaction: what set-wise code needs to run its statements. */
export interface Queryable {
  query<T extends pg.QueryResultRow = any>(text: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
}

/**
 * Plain SQL with PostgreSQL's own parameters ($1, $2 …): used where the work is set-wise (aggregates, imports,
 * segments), so values travel as parameters and arrays as arrays, never inside the SQL text.
 */
export class Sql {
  readonly pool: pg.Pool;

  /** `statementTimeoutMs`: PostgreSQL cancels any statement of this pool that runs longer (none when unset). */
  /**
   * `asyncCommit`: commits do not wait for the write-ahead log to reach disk. Only for records whose last fraction of
   * a second may be lost in a database crash (never customer data): PostgreSQL stays consistent either way.
   */
  constructor(readonly url: string, options: { max?: number; statementTimeoutMs?: number; asyncCommit?: boolean } = {}) {
    this.pool = new pg.Pool({
      connectionString: url, max: options.max ?? 10, types, statement_timeout: options.statementTimeoutMs,
      ...(options.asyncCommit ? { options: '-c synchronous_commit=off' } : {}),
    });
    // An idle connection dropped by the server (a restart, or Ctrl-C reaching PostgreSQL too) is replaced on next
    // use; without a listener it would crash the process.
    this.pool.on('error', (error) => { if (!this.stopping) logger.warn('database connection lost', { reason: error.message }); });
  }

  query<T extends pg.QueryResultRow = any>(text: string, params?: unknown[]) {
    return this.pool.query<T>(text, params);
  }

  async rows<T extends pg.QueryResultRow = any>(text: string, params?: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>(text, params)).rows;
  }

  /**
   * A client of the pool for several statements. The pool stops watching a client while it is lent out; a
   * connection dropped between two statements would then be an unhandled 'error' event, so it is watched here.
   */
  async checkout(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    const lost = (error: Error) => logger.warn('database connection lost while in use', { reason: error.message });
    client.on('error', lost);
    const release = client.release.bind(client);
    client.release = (error?: Error | boolean) => {
      client.removeListener('error', lost);
      return release(error);
    };
    return client;
  }

  /**
   * Runs `work` in a transaction. `asynchronousCommit`: the commit does not wait for the disk (a server crash may lose
   * it, never half of it); for writes that can be repeated, such as an import's batch with its checkpoint.
   */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>, options: { asynchronousCommit?: boolean } = {}): Promise<T> {
    const client = await this.checkout();
    let broken: Error | undefined;
    try {
      // One round trip either way: a statement with no parameters may carry two.
      await client.query(options.asynchronousCommit ? 'begin; set local synchronous_commit = off' : 'begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      // A client that cannot even roll back has lost its connection: it is destroyed, not returned to the pool.
      await client.query('rollback').catch((lost: Error) => { broken = lost; });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * The process is stopping: connections PostgreSQL closes from now on (the embedded one stops right after) are
   * expected, and say nothing alarming.
   */
  stopping = false;

  close() {
    this.stopping = true;
    return this.pool.end();
  }
}
