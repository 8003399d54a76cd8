import type { Queryable, Sql } from '../../db/sql.js';
import { boundedRows, type ReadLimits } from './bounded-read.js';
import { sampleColumns, type SampleCustomer } from './segment-preview.js';

export interface SegmentRow {
  id: number; name: string; description: string; rules: unknown; version: number;
  createdBy: string | null; createdAt: string; updatedAt: string;
}

const segmentColumns = `s.id, s.name, s.description, s.rules, s.version, u.email as "createdBy", s.created_at as "createdAt", s.updated_at as "updatedAt"`;

/** Saved segments and their versions: fetch and store only; the rules (names, versions, checks) are the service's. */
export const segmentsRepository = {
  async list(db: Queryable) {
    return (await db.query<SegmentRow>(`select ${segmentColumns} from segments s left join users u on u.id = s.created_by where s.deleted_at is null order by s.updated_at desc, s.id desc`)).rows;
  },

  async one(db: Queryable, id: number) {
    return (await db.query<SegmentRow>(`select ${segmentColumns} from segments s left join users u on u.id = s.created_by where s.id = $1 and s.deleted_at is null`, [id])).rows[0] ?? null;
  },

  /** The current rule and version, locked until the transaction ends. */
  async lockCurrent(db: Queryable, id: number) {
    return (await db.query<{ rules: unknown; version: number }>(`select rules, version from segments where id = $1 and deleted_at is null for update`, [id])).rows[0] ?? null;
  },

  async versions(db: Queryable, id: number) {
    return (await db.query(
      `select v.version, v.rules, u.email as "createdBy", v.created_at as "createdAt" from segment_versions v left join users u on u.id = v.created_by where v.segment_id = $1 order by v.version desc`,
      [id],
    )).rows;
  },

  async versionRules(db: Queryable, id: number, version: number) {
    return (await db.query<{ rules: unknown }>(`select rules from segment_versions where segment_id = $1 and version = $2`, [id, version])).rows[0] ?? null;
  },

  /** Whether another live segment (not `except`) has this name, whatever its case. */
  async nameTaken(db: Queryable, name: string, except: number | null = null) {
    return ((await db.query(`select 1 from segments where lower(name) = lower($1) and deleted_at is null and id is distinct from $2`, [name, except])).rowCount ?? 0) > 0;
  },

  async insert(db: Queryable, segment: { name: string; description: string; rules: unknown; createdBy: number | null }) {
    const { rows } = await db.query<{ id: number }>(
      `insert into segments (name, description, rules, created_by) values ($1, $2, $3, $4) returning id`,
      [segment.name, segment.description, JSON.stringify(segment.rules), segment.createdBy],
    );
    return rows[0].id;
  },

  async insertVersion(db: Queryable, id: number, version: number, rules: unknown, createdBy: number | null) {
    await db.query(`insert into segment_versions (segment_id, version, rules, created_by) values ($1, $2, $3, $4)`, [id, version, JSON.stringify(rules), createdBy]);
  },

  /** Name and description where given; the rule where given, with its version. */
  async update(db: Queryable, id: number, change: { name: string | null; description: string | null; rules: unknown | null; version: number }) {
    await db.query(
      `update segments set name = coalesce($2, name), description = coalesce($3, description), rules = coalesce($4, rules), version = $5, updated_at = now() where id = $1`,
      [id, change.name, change.description, change.rules === null ? null : JSON.stringify(change.rules), change.version],
    );
  },

  /** Marks a segment deleted; false when there was none. */
  async softDelete(db: Queryable, id: number) {
    return ((await db.query(`update segments set deleted_at = now() where id = $1 and deleted_at is null`, [id])).rowCount ?? 0) > 0;
  },

  /**
   * Who is in a compiled rule `before`, in `after`, in one and not the other, counted over today's customers in
   * one pass, with the first twenty who join and who leave.
   */
  async difference(db: Sql, before: string, after: string, values: unknown[], limits: ReadLimits) {
    const [counts] = await boundedRows<{ removed: number; added: number; fromCount: number; toCount: number }>(db,
      `select count(*) filter (where a and not b) as removed, count(*) filter (where b and not a) as added, count(*) filter (where a) as "fromCount", count(*) filter (where b) as "toCount"
       from (select ${before} as a, ${after} as b from customers c offset 0) x`, values, limits);
    // The samples stop at twenty rows, so only the time limit applies.
    const sampleLimits = { timeoutMs: limits.timeoutMs, signal: limits.signal };
    const sample = (where: string) => boundedRows<SampleCustomer & Record<string, unknown>>(db, `select ${sampleColumns} from customers c where ${where} order by c.id limit 20`, values, sampleLimits);
    const [added, removed] = await Promise.all([sample(`(${after}) and not (${before})`), sample(`(${before}) and not (${after})`)]);
    return { counts, added, removed };
  },
};
