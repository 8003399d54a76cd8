import pg from 'pg';
import { logger } from '../logging/logger.js';

// bigint columns (ids, counts) fit in a JS number in this CRM; numeric amounts stay strings so they are never rounded.
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

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

  constructor(url: string, options: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types });
    // An idle connection dropped by the server (a restart, or Ctrl-C reaching PostgreSQL too) is replaced on next
    // use; without a listener it would crash the process.
    this.pool.on('error', (error) => logger.warn('database connection lost', { reason: error.message }));
  }

  query<T extends pg.QueryResultRow = any>(text: string, params?: unknown[]) {
    return this.pool.query<T>(text, params);
  }

  async rows<T extends pg.QueryResultRow = any>(text: string, params?: unknown[]): Promise<T[]> {
    return (await this.pool.query<T>(text, params)).rows;
  }

  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await work(client);
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  close() {
    return this.pool.end();
  }
}
