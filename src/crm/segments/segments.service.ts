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
import { previewRule } from './segment-preview.js';
import type { ReadLimits } from './bounded-read.js';
import { segmentsRepository, type SegmentRow } from './segments.repository.js';
import { segmentInsights } from './segment-insights.js';

export interface SegmentInput { name: string; description?: string; rules: unknown }


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
    const rows = await segmentsRepository.list(this.sql);
    return rows.map((row) => ({ ...row, sentence: this.describe(parseRule(row.rules)) }));
  }

  async get(actor: Actor, id: number) {
    authorize(actor, 'segments.read');
    const row = await this.find(id);
    const versions = await segmentsRepository.versions(this.sql, id);
    return { ...row, sentence: this.describe(parseRule(row.rules)), versions };
  }

  async create(actor: Actor, input: SegmentInput) {
    authorize(actor, 'segments.write');
    this.checkRule(input.rules);
    const id = await this.sql.transaction(async (client) => {
      if (await segmentsRepository.nameTaken(client, input.name)) throw new Conflict(`A segment named "${input.name}" already exists; choose another name or edit that one.`);
      const created = await segmentsRepository.insert(client, { name: input.name, description: input.description ?? '', rules: input.rules, createdBy: actor.userId });
      await segmentsRepository.insertVersion(client, created, 1, input.rules, actor.userId);
      await this.audit.record(actor, 'segment.create', `segment:${created}`, { name: input.name }, client);
      return created;
    });
    return this.get(actor, id);
  }

  /** Name and description change in place; a changed rule becomes a new version, and the old one stays readable. */
  async update(actor: Actor, id: number, input: Partial<SegmentInput>) {
    authorize(actor, 'segments.write');
    if (input.rules !== undefined) this.checkRule(input.rules);
    await this.sql.transaction(async (client) => {
      const current = await segmentsRepository.lockCurrent(client, id);
      if (!current) throw new NotFound(`There is no segment ${id}.`);
      if (input.name !== undefined && await segmentsRepository.nameTaken(client, input.name, id)) throw new Conflict(`A segment named "${input.name}" already exists.`);
      const rulesChanged = input.rules !== undefined && JSON.stringify(input.rules) !== JSON.stringify(current.rules);
      const version = rulesChanged ? current.version + 1 : current.version;
      await segmentsRepository.update(client, id, { name: input.name ?? null, description: input.description ?? null, rules: rulesChanged ? input.rules : null, version });
      if (rulesChanged) await segmentsRepository.insertVersion(client, id, version, input.rules, actor.userId);
      await this.audit.record(actor, 'segment.update', `segment:${id}`, { version, rulesChanged, name: input.name }, client);
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: number) {
    authorize(actor, 'segments.write');
    if (!(await segmentsRepository.softDelete(this.sql, id))) throw new NotFound(`There is no segment ${id}.`);
    await this.audit.record(actor, 'segment.delete', `segment:${id}`);
  }

  /** The rule of one version of a segment (the current one when no version is given). */
  async rulesOf(id: number, version?: number): Promise<{ rules: unknown; version: number; name: string }> {
    const segment = await this.find(id);
    if (version === undefined || version === segment.version) return { rules: segment.rules, version: segment.version, name: segment.name };
    const row = await segmentsRepository.versionRules(this.sql, id, version);
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
    const { counts, added, removed } = await segmentsRepository.difference(this.sql, before, after, params.values, this.readLimits(signal));
    return {
      segmentId: id, from: { version: from, count: counts.fromCount, sentence: this.describe(parseRule(a.rules)) },
      to: { version: to, count: counts.toCount, sentence: this.describe(parseRule(b.rules)) },
      added: { count: counts.added, sample: added }, removed: { count: counts.removed, sample: removed },
    };
  }

  private async find(id: number): Promise<SegmentRow> {
    const row = await segmentsRepository.one(this.sql, id);
    if (!row) throw new NotFound(`There is no segment ${id}.`);
    return row;
  }
}
