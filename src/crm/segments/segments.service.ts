import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { Conflict, NotFound } from '../errors.js';
import { CLOCK, type Clock } from '../time/clock.js';
import type { RuleContext } from './condition-range.js';
import { assertSatisfiable } from './rule-contradictions.js';
import { compileRule, SqlParams } from './rule-compiler.js';
import { parseRule } from './rule-parser.js';
import { describeRule } from './rule-sentence.js';
import type { RuleNode } from './rule.js';
import { previewRule, sampleColumns, type SampleCustomer } from './segment-preview.js';
import { boundedRows, type ReadLimits } from './bounded-read.js';
import { segmentInsights } from './segment-insights.js';

export interface SegmentRow {
  id: number; name: string; description: string; rules: unknown; version: number;
  createdBy: string | null; createdAt: string; updatedAt: string;
}
export interface SegmentInput { name: string; description?: string; rules: unknown }

const segmentColumns = `s.id, s.name, s.description, s.rules, s.version, u.email as "createdBy", s.created_at as "createdAt", s.updated_at as "updatedAt"`;

/** Saved audiences: a name, a rule, and every earlier version of the rule. Membership is evaluated when used. */
@Injectable()
export class SegmentsService {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  context(): RuleContext {
    return { now: this.clock(), zone: this.config.TIME_ZONE };
  }

  /** Parses and checks a rule (shape, fields, limits, contradictions); throws a RuleError listing every problem. */
  checkRule(json: unknown): RuleNode {
    const rule = parseRule(json);
    assertSatisfiable(rule, this.context(), this.config.CURRENCY);
    return rule;
  }

  describe(rule: RuleNode) {
    return describeRule(rule, this.config.CURRENCY);
  }

  /** The limits of every audience count a person waits for (previews, plans, diffs), with the caller's signal. */
  readLimits(signal?: AbortSignal): ReadLimits {
    return { timeoutMs: this.config.PREVIEW_TIMEOUT_SECONDS * 1000, maxCost: this.config.PREVIEW_MAX_COST, signal };
  }

  async preview(actor: Actor, json: unknown, signal?: AbortSignal) {
    authorize(actor, 'segments.preview');
    return previewRule(this.sql, this.checkRule(json), this.context(), this.config.CURRENCY, this.readLimits(signal));
  }

  /** Who the customers of a rule or a saved segment are, against everyone, with a sentence for each finding. */
  async insights(actor: Actor, input: { rules: unknown } | { segmentId: number }, signal?: AbortSignal) {
    authorize(actor, 'segments.preview');
    const { rules, name } = 'segmentId' in input ? await this.rulesOf(input.segmentId) : { rules: input.rules, name: null };
    const rule = this.checkRule(rules);
    const ctx = this.context();
    const insights = await segmentInsights(this.sql, (params) => compileRule(rule, params, ctx), { now: ctx.now, zone: this.config.TIME_ZONE, currency: this.config.CURRENCY, attributionDays: this.config.ATTRIBUTION_DAYS }, this.readLimits(signal));
    return { segment: name, sentence: this.describe(rule), ...insights };
  }

  async list(actor: Actor): Promise<(SegmentRow & { sentence: string })[]> {
    authorize(actor, 'segments.read');
    const rows = await this.sql.rows<SegmentRow>(`select ${segmentColumns} from segments s left join users u on u.id = s.created_by where s.deleted_at is null order by s.updated_at desc, s.id desc`);
    return rows.map((row) => ({ ...row, sentence: this.describe(parseRule(row.rules)) }));
  }

  async get(actor: Actor, id: number) {
    authorize(actor, 'segments.read');
    const row = await this.find(id);
    const versions = await this.sql.rows(
      `select v.version, v.rules, u.email as "createdBy", v.created_at as "createdAt" from segment_versions v left join users u on u.id = v.created_by where v.segment_id = $1 order by v.version desc`,
      [id],
    );
    return { ...row, sentence: this.describe(parseRule(row.rules)), versions };
  }

  async create(actor: Actor, input: SegmentInput) {
    authorize(actor, 'segments.write');
    this.checkRule(input.rules);
    const id = await this.sql.transaction(async (client) => {
      const taken = await client.query(`select 1 from segments where lower(name) = lower($1) and deleted_at is null`, [input.name]);
      if (taken.rowCount) throw new Conflict(`A segment named "${input.name}" already exists; choose another name or edit that one.`);
      const { rows } = await client.query<{ id: number }>(
        `insert into segments (name, description, rules, created_by) values ($1, $2, $3, $4) returning id`,
        [input.name, input.description ?? '', JSON.stringify(input.rules), actor.userId],
      );
      await client.query(`insert into segment_versions (segment_id, version, rules, created_by) values ($1, 1, $2, $3)`, [rows[0].id, JSON.stringify(input.rules), actor.userId]);
      await this.audit.record(actor, 'segment.create', `segment:${rows[0].id}`, { name: input.name }, client);
      return rows[0].id;
    });
    return this.get(actor, id);
  }

  /** Name and description change in place; a changed rule becomes a new version, and the old one stays readable. */
  async update(actor: Actor, id: number, input: Partial<SegmentInput>) {
    authorize(actor, 'segments.write');
    if (input.rules !== undefined) this.checkRule(input.rules);
    await this.sql.transaction(async (client) => {
      const current = (await client.query(`select rules, version from segments where id = $1 and deleted_at is null for update`, [id])).rows[0];
      if (!current) throw new NotFound(`There is no segment ${id}.`);
      if (input.name !== undefined) {
        const taken = await client.query(`select 1 from segments where lower(name) = lower($1) and deleted_at is null and id <> $2`, [input.name, id]);
        if (taken.rowCount) throw new Conflict(`A segment named "${input.name}" already exists.`);
      }
      const rulesChanged = input.rules !== undefined && JSON.stringify(input.rules) !== JSON.stringify(current.rules);
      const version = rulesChanged ? current.version + 1 : current.version;
      await client.query(
        `update segments set name = coalesce($2, name), description = coalesce($3, description), rules = coalesce($4, rules), version = $5, updated_at = now() where id = $1`,
        [id, input.name ?? null, input.description ?? null, rulesChanged ? JSON.stringify(input.rules) : null, version],
      );
      if (rulesChanged) {
        await client.query(`insert into segment_versions (segment_id, version, rules, created_by) values ($1, $2, $3, $4)`, [id, version, JSON.stringify(input.rules), actor.userId]);
      }
      await this.audit.record(actor, 'segment.update', `segment:${id}`, { version, rulesChanged, name: input.name }, client);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: number) {
    authorize(actor, 'segments.write');
    const { rowCount } = await this.sql.query(`update segments set deleted_at = now() where id = $1 and deleted_at is null`, [id]);
    if (!rowCount) throw new NotFound(`There is no segment ${id}.`);
    await this.audit.record(actor, 'segment.delete', `segment:${id}`);
  }

  /** The rule of one version of a segment (the current one when no version is given). */
  async rulesOf(id: number, version?: number): Promise<{ rules: unknown; version: number; name: string }> {
    const segment = await this.find(id);
    if (version === undefined || version === segment.version) return { rules: segment.rules, version: segment.version, name: segment.name };
    const row = (await this.sql.rows(`select rules from segment_versions where segment_id = $1 and version = $2`, [id, version]))[0];
    if (!row) throw new NotFound(`Segment ${id} has no version ${version}; it has versions 1 to ${segment.version}.`);
    return { rules: row.rules, version, name: segment.name };
  }

  /**
   * Who joins and who leaves between two versions of a segment, evaluated on today's customers: the audience a
   * campaign would gain and lose by switching versions.
   */
  async diff(actor: Actor, id: number, from: number, to: number, signal?: AbortSignal) {
    authorize(actor, 'segments.read');
    const [a, b] = [await this.rulesOf(id, from), await this.rulesOf(id, to)];
    const params = new SqlParams();
    const ctx = this.context();
    const before = compileRule(parseRule(a.rules), params, ctx);
    const after = compileRule(parseRule(b.rules), params, ctx);
    const added = `(${after}) and not (${before})`;
    const removed = `(${before}) and not (${after})`;
    const limits = this.readLimits(signal);
    const counts = await boundedRows(this.sql,
      `select count(*) filter (where a and not b) as removed, count(*) filter (where b and not a) as added, count(*) filter (where a) as "fromCount", count(*) filter (where b) as "toCount"
       from (select ${before} as a, ${after} as b from customers c offset 0) x`, params.values, limits);
    const sampleLimits = { timeoutMs: limits.timeoutMs, signal };
    const [addedSample, removedSample] = await Promise.all([
      boundedRows<SampleCustomer & Record<string, unknown>>(this.sql, `select ${sampleColumns} from customers c where ${added} order by c.id limit 20`, params.values, sampleLimits),
      boundedRows<SampleCustomer & Record<string, unknown>>(this.sql, `select ${sampleColumns} from customers c where ${removed} order by c.id limit 20`, params.values, sampleLimits),
    ]);
    return {
      segmentId: id, from: { version: from, count: counts[0].fromCount, sentence: this.describe(parseRule(a.rules)) },
      to: { version: to, count: counts[0].toCount, sentence: this.describe(parseRule(b.rules)) },
      added: { count: counts[0].added, sample: addedSample }, removed: { count: counts[0].removed, sample: removedSample },
    };
  }

  private async find(id: number): Promise<SegmentRow> {
    const row = (await this.sql.rows<SegmentRow>(`select ${segmentColumns} from segments s left join users u on u.id = s.created_by where s.id = $1 and s.deleted_at is null`, [id]))[0];
    if (!row) throw new NotFound(`There is no segment ${id}.`);
    return row;
  }
}
