import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { logger } from '../../logging/logger.js';
import { MappingError, previewLayout, type Layout } from './columns.js';
import { importFile, type FileImportOptions, type ImportProgress } from './file-importer.js';
import { importsRepository, MAX_STORED_REJECTIONS, type ImportRow } from './imports.repository.js';
import { removeUpload, storeUpload } from './stored-upload.js';
import { FileRejected } from './line-source.js';
import { CellError } from './values.js';
import { EventBus } from '../../events/crm-events.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { writeOrders } from '../orders/order-writer.js';
import { Conflict, NotFound } from '../errors.js';
import type { OrderInput } from '../orders/order-input.js';
import { upsertCustomers } from './import-writer.js';
import { checkRecords, NoValidRecord, type RecordLayout } from './record-batch.js';
import { refreshStaleCustomers } from '../customers/stale-customers.js';
import type { CustomerRecord } from './records.js';

export class ImportNotFound extends NotFound {}

const keyReused = (key: string) => new Conflict(`The Idempotency-Key "${key}" was already used for a different import; use a new key for new data.`);

/** Tells a retry of the same request from a different one sent under the same Idempotency-Key. */
const requestDigest = (value: unknown) => createHash('sha256').update(JSON.stringify(value) ?? '').digest('hex');

export interface ImportReport extends Omit<ImportRow, 'filePath' | 'linesDone' | 'createdBy' | 'requestDigest'> { rejections: { position: number; field: string | null; reason: string }[] }

/** Imports of customers and orders: who may, what is recorded, and how a file is run and reported. */
@Injectable()
export class IngestionService {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditService,
    @Inject(CONFIG) private readonly config: Config,
    @Optional() private readonly queue?: JobQueue,
    @Optional() private readonly events?: EventBus,
  ) {}

  /**
   * Accepts customers or orders from the API: every record is checked, the good ones are stored with the import and
   * queued for a worker, the bad ones are kept as rejections with their index. Nothing is written to the CRM yet.
   */
  async acceptRecords(actor: Actor, layout: RecordLayout, body: unknown, idempotencyKey?: string | null) {
    authorize(actor, 'imports.write');
    const digest = requestDigest({ layout, body });
    if (idempotencyKey) {
      const earlier = await this.earlier(actor, idempotencyKey, digest);
      if (earlier) return { import: earlier, repeated: true };
    }
    const { valid, problems } = checkRecords(layout, body, this.config.IMPORT_MAX_RECORDS);
    if (!valid.length) throw new NoValidRecord(problems);
    const id = randomUUID();
    const created = await this.sql.transaction(async (client) => {
      const row = await importsRepository.create(client, { id, layout, source: 'api', createdBy: actor.userId, idempotencyKey, requestDigest: digest });
      if (!row) return null;
      await importsRepository.keepPayload(client, id, valid.map((v) => v.record));
      await importsRepository.recordBatch(client, id, { received: valid.length + problems.length, inserted: 0, updated: 0, unchanged: 0, rejected: problems.length, skipped: 0 }, 0,
        problems.map((p) => ({ position: p.index, field: p.field, reason: p.reason })));
      await this.audit.record(actor, `import.${layout}`, `import:${id}`, { received: valid.length + problems.length, rejected: problems.length }, client);
      await importsRepository.leaveDemoShop(client);
      return row;
    });
    // Two requests with one key at the same moment: the second finds the first's import.
    if (!created) return { import: (await this.earlier(actor, idempotencyKey!, digest))!, repeated: true };
    await this.queue?.send(queueNames.importRecords, { importId: id }, id);
    return { import: (await importsRepository.get(this.sql, id))!, repeated: false };
  }

  /**
   * The worker's half: writes a queued API batch and finishes its import in one transaction, so a job that runs
   * again after a crash finds the import finished and changes nothing.
   */
  async applyRecords(id: string) {
    const done = await this.sql.transaction(async (client) => {
      const row = await importsRepository.lock(client, id);
      if (!row || row.status === 'succeeded' || row.status === 'failed') return false;
      const records = await importsRepository.payload(client, id);
      const counts = row.layout === 'customers'
        ? await upsertCustomers(client, records as CustomerRecord[])
        : await writeOrders(client, (records as OrderInput[]).map((o) => ({ ...o, placedAt: new Date(o.placedAt) })));
      await importsRepository.recordBatch(client, id, { received: 0, rejected: 0, skipped: 0, inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged }, records.length, []);
      await importsRepository.finish(client, id, 'succeeded');
      await importsRepository.dropPayload(client, id);
      return true;
    });
    if (done) await this.announceFinished(id);
  }

  /** Queues a file import for a worker (uploads), or runs nothing when there is no queue (the CLI runs it itself). */
  async queueFileImport(id: string) {
    await this.queue?.send(queueNames.importFile, { importId: id }, id);
  }

  async announceFinished(id: string) {
    const row = await importsRepository.get(this.sql, id);
    if (!row || (row.status !== 'succeeded' && row.status !== 'failed')) return;
    await this.events?.publish('import.finished', row.createdBy, {
      importId: id, status: row.status, received: row.received, inserted: row.inserted, updated: row.updated,
      unchanged: row.unchanged, rejected: row.rejected, skipped: row.skipped, error: row.error,
    });
  }

  get limits() {
    return { maxLineBytes: this.config.IMPORT_MAX_LINE_BYTES, maxFileBytes: this.config.IMPORT_MAX_FILE_BYTES, batchSize: this.config.IMPORT_BATCH_SIZE };
  }

  /** The import an earlier request with this key made, or null; a different request under the same key is refused. */
  private async earlier(actor: Actor, key: string, digest: string) {
    const row = await importsRepository.byIdempotencyKey(this.sql, actor.userId, key);
    if (row && row.requestDigest !== null && row.requestDigest !== digest) throw keyReused(key);
    return row;
  }

  /**
   * Records a file import. With an Idempotency-Key already used for the same file and options, answers the earlier
   * import (`repeated`); the caller then owns the new copy of the file and removes it.
   */
  async createFileImport(actor: Actor, input: { path: string; fileName: string; source: 'upload' | 'cli'; options: FileImportOptions; idempotencyKey?: string | null; fileDigest?: string }) {
    authorize(actor, 'imports.write');
    const digest = input.fileDigest ? requestDigest({ file: input.fileDigest, options: input.options }) : null;
    if (input.idempotencyKey) {
      const earlier = await this.earlier(actor, input.idempotencyKey, digest ?? '');
      if (earlier) return { ...earlier, repeated: true };
    }
    const id = randomUUID();
    const row = await importsRepository.create(this.sql, {
      id, layout: input.options.layout ?? null, source: input.source, fileName: input.fileName, filePath: input.path,
      options: input.options, createdBy: actor.userId, idempotencyKey: input.idempotencyKey, requestDigest: digest,
    });
    if (!row) return { ...(await this.earlier(actor, input.idempotencyKey!, digest ?? ''))!, repeated: true };
    await this.audit.record(actor, 'import.create', `import:${id}`, { fileName: input.fileName, source: input.source, options: input.options });
    await importsRepository.leaveDemoShop(this.sql);
    return { ...row, repeated: false };
  }

  /** Keeps a received file in the database, where any worker can read it; the copy on this machine's disk goes. */
  keepUpload(path: string) {
    return storeUpload(this.sql, path);
  }

  /** Forgets an upload nothing will import (refused, or a retry of one already received). */
  dropUpload(path: string) {
    return removeUpload(this.sql, path);
  }

  /** Runs (or resumes) a file import to its end; a file that cannot be imported ends the import as failed with the reason. */
  async runFileImport(id: string, onProgress?: (p: ImportProgress) => void): Promise<ImportRow> {
    const row = await importsRepository.get(this.sql, id);
    if (!row?.filePath) throw new ImportNotFound(`There is no file import ${id}.`);
    if (row.status === 'succeeded' || row.status === 'failed') return row;
    let lastEvent = 0;
    const progress = (p: ImportProgress) => {
      onProgress?.(p);
      // At most a few events a second reach the websocket, whatever the batch size.
      if (this.events && Date.now() - lastEvent > 250) {
        lastEvent = Date.now();
        void this.events.publish('import.progress', row.createdBy, {
          importId: id, lines: p.lines, linesPerSecond: p.linesPerSecond, secondsLeft: p.secondsLeft, fraction: p.totalBytes ? p.bytesRead / p.totalBytes : 0,
        });
      }
    };
    let failure: string | null = null;
    try {
      await importFile(this.sql, id, row.filePath, row.options as FileImportOptions, this.limits, progress);
    } catch (error) {
      if (!(error instanceof FileRejected || error instanceof MappingError || error instanceof CellError)) throw error;
      logger.info('import failed', { importId: id, reason: error.message });
      failure = error.message;
    }
    // The figures and products bought of every customer the import marked; then fresh statistics for the tables
    // "bought" conditions read, so the planner sizes their sets right (a stale estimate turns a hashed set into a
    // rescan). Both before the import is reported finished: "succeeded" means every segment sees the new orders.
    await refreshStaleCustomers(this.sql);
    await importsRepository.analyzePurchases(this.sql).catch((error) => logger.warn('analyze after import failed', { reason: (error as Error).message }));
    await importsRepository.finish(this.sql, id, failure === null ? 'succeeded' : 'failed', failure);
    // An uploaded file is the CRM's copy, kept only until its import ends; a CLI import reads the person's own file.
    if (row.source === 'upload') await removeUpload(this.sql, row.filePath);
    await this.announceFinished(id);
    return (await importsRepository.get(this.sql, id))!;
  }

  /** What an upload would make of a file's header, before it is sent: layout, column fields, what is missing. */
  previewLayout(actor: Actor, header: string[], map?: Record<string, string>, layout?: Layout) {
    authorize(actor, 'imports.write');
    return previewLayout(header, map, layout);
  }

  /** The latest imports: a person's own, or everyone's for an admin. */
  async recent(actor: Actor, limit = 20) {
    authorize(actor, 'imports.read');
    const rows = await importsRepository.recent(this.sql, actor.role === 'admin' ? null : actor.userId, limit);
    return rows.map(({ filePath: _path, linesDone: _done, createdBy: _by, requestDigest: _digest, options: _options, ...visible }) => visible);
  }

  /** Every rejected line kept (up to MAX_STORED_REJECTIONS) as CSV: line, column, reason. */
  async rejectionsCsv(actor: Actor, id: string) {
    const report = await this.report(actor, id, MAX_STORED_REJECTIONS);
    // A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return before one: the file's own
    // header names and values come back here) starts with an apostrophe; a semicolon is quoted too, for spreadsheets
    // that split on it.
    const cell = (v: string | number | null) => {
      const text = v === null ? '' : /^[=+\-@\t\r]/.test(String(v)) ? `'${v}` : String(v);
      return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    return ['line,column,reason', ...report.rejections.map((r) => [r.position, r.field, r.reason].map(cell).join(','))].join('\r\n') + '\r\n';
  }

  async report(actor: Actor, id: string, rejectionsShown = 1000): Promise<ImportReport> {
    authorize(actor, 'imports.read');
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await importsRepository.get(this.sql, id) : null;
    // A report shows the rejected lines as they were sent: it is the sender's (and the admins'), not every reader's.
    if (!row || (row.createdBy !== actor.userId && actor.role !== 'admin')) throw new ImportNotFound(`There is no import ${id}.`);
    const { filePath: _path, linesDone: _done, createdBy: _by, requestDigest: _digest, ...visible } = row;
    return { ...visible, rejections: await importsRepository.rejections(this.sql, id, rejectionsShown) };
  }
}

export type { Layout };
