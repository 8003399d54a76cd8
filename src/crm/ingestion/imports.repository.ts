import type { Queryable } from '../../db/sql.js';
import type { Layout } from './columns.js';

export const MAX_STORED_REJECTIONS = 10_000;

export interface Rejection { position: number; field: string | null; reason: string }
export interface CountsDelta { received: number; inserted: number; updated: number; unchanged: number; rejected: number; skipped: number }
export type ImportStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface ImportRow {
  id: string; layout: Layout | null; source: string; fileName: string | null; filePath: string | null; options: Record<string, unknown>;
  status: ImportStatus; received: number; inserted: number; updated: number; unchanged: number; rejected: number; skipped: number;
  linesDone: number; ignoredColumns: string[]; error: string | null; requestDigest: string | null; createdBy: number | null; createdAt: Date; startedAt: Date | null; finishedAt: Date | null;
}

const columns = `id, layout, source, file_name as "fileName", file_path as "filePath", options, status, received, inserted, updated, unchanged,
  rejected, skipped, lines_done as "linesDone", ignored_columns as "ignoredColumns", error, request_digest as "requestDigest", created_by as "createdBy",
  created_at as "createdAt", started_at as "startedAt", finished_at as "finishedAt"`;

/** Imports and their rejected lines: fetch and store only; the rules live in the importer and the service. */
export const importsRepository = {
  async create(db: Queryable, row: { id: string; layout: Layout | null; source: string; fileName?: string | null; filePath?: string | null; options?: object; createdBy: number | null; idempotencyKey?: string | null; requestDigest?: string | null }) {
    const result = await db.query<ImportRow>(
      `insert into imports (id, layout, source, file_name, file_path, options, created_by, idempotency_key, request_digest)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (created_by, idempotency_key) where idempotency_key is not null do nothing
       returning ${columns}`,
      [row.id, row.layout, row.source, row.fileName ?? null, row.filePath ?? null, JSON.stringify(row.options ?? {}), row.createdBy, row.idempotencyKey ?? null, row.requestDigest ?? null],
    );
    return result.rows[0] ?? null;
  },

  async byIdempotencyKey(db: Queryable, createdBy: number | null, key: string) {
    return (await db.query<ImportRow>(`select ${columns} from imports where created_by is not distinct from $1 and idempotency_key = $2`, [createdBy, key])).rows[0] ?? null;
  },

  async get(db: Queryable, id: string) {
    return (await db.query<ImportRow>(`select ${columns} from imports where id = $1`, [id])).rows[0] ?? null;
  },

  /** The latest imports, of one person or (null) of everyone. */
  async recent(db: Queryable, createdBy: number | null, limit: number) {
    return (await db.query<ImportRow>(`select ${columns} from imports where ($1::bigint is null or created_by = $1) order by created_at desc limit $2`, [createdBy, limit])).rows;
  },

  async rejections(db: Queryable, id: string, limit = 1000) {
    return (await db.query<Rejection>(`select position, field, reason from import_rejections where import_id = $1 order by position limit $2`, [id, limit])).rows;
  },

  async start(db: Queryable, id: string) {
    await db.query(`update imports set status = 'running', started_at = coalesce(started_at, now()) where id = $1`, [id]);
  },

  async setIgnoredColumns(db: Queryable, id: string, ignored: string[]) {
    await db.query(`update imports set ignored_columns = $2 where id = $1`, [id, ignored]);
  },

  /** Adds a batch's counts and moves the checkpoint, in the batch's own transaction. */
  async recordBatch(db: Queryable, id: string, delta: CountsDelta, linesDone: number, rejections: Rejection[]) {
    await db.query(
      `update imports set received = received + $2, inserted = inserted + $3, updated = updated + $4, unchanged = unchanged + $5,
         rejected = rejected + $6, skipped = skipped + $7, lines_done = greatest(lines_done, $8) where id = $1`,
      [id, delta.received, delta.inserted, delta.updated, delta.unchanged, delta.rejected, delta.skipped, linesDone],
    );
    if (rejections.length) {
      await db.query(
        `insert into import_rejections (import_id, position, field, reason)
         select $1, p, f, r from unnest($2::int[], $3::text[], $4::text[]) as x(p, f, r)
         limit greatest(0, ${MAX_STORED_REJECTIONS} - (select count(*) from import_rejections where import_id = $1))
         on conflict do nothing`,
        [id, rejections.map((r) => r.position), rejections.map((r) => r.field), rejections.map((r) => r.reason)],
      );
    }
  },

  /** The records of an API batch, kept until a worker writes them. */
  async keepPayload(db: Queryable, id: string, records: unknown[]) {
    await db.query(`insert into import_payloads (import_id, records) values ($1, $2)`, [id, JSON.stringify(records)]);
  },

  async payload(db: Queryable, id: string) {
    return (await db.query<{ records: unknown[] }>(`select records from import_payloads where import_id = $1`, [id])).rows[0]?.records ?? [];
  },

  async dropPayload(db: Queryable, id: string) {
    await db.query(`delete from import_payloads where import_id = $1`, [id]);
  },

  /** An import's layout and status, locked until the transaction ends. */
  async lock(db: Queryable, id: string) {
    return (await db.query<{ layout: Layout; status: ImportStatus }>(`select layout, status from imports where id = $1 for update`, [id])).rows[0] ?? null;
  },

  /**
   * Real data coming in: the database no longer holds only the demo shop, so its simulated shoppers stop answering
   * campaigns (they must never invent orders of real customers).
   */
  async leaveDemoShop(db: Queryable) {
    await db.query(`delete from demo_shop`);
  },

  /** Fresh planner statistics for the tables "bought" conditions read. */
  async analyzePurchases(db: Queryable) {
    await db.query('analyze products, customer_products');
  },

  async finish(db: Queryable, id: string, status: 'succeeded' | 'failed', error: string | null = null) {
    await db.query(`update imports set status = $2, error = $3, finished_at = now() where id = $1`, [id, status, error]);
  },
};
