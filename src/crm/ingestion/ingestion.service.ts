import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { logger } from '../../logging/logger.js';
import { MappingError, type Layout } from './columns.js';
import { importFile, type FileImportOptions, type ImportProgress } from './file-importer.js';
import { importsRepository, type ImportRow } from './imports.repository.js';
import { FileRejected } from './line-source.js';
import { CellError } from './values.js';

export class ImportNotFound extends Error {}

export interface ImportReport extends Omit<ImportRow, 'filePath' | 'linesDone' | 'createdBy'> { rejections: { position: number; field: string | null; reason: string }[] }

/** Imports of customers and orders: who may, what is recorded, and how a file is run and reported. */
@Injectable()
export class IngestionService {
  constructor(private readonly sql: Sql, private readonly audit: AuditService, @Inject(CONFIG) private readonly config: Config) {}

  get limits() {
    return { maxLineBytes: this.config.IMPORT_MAX_LINE_BYTES, maxFileBytes: this.config.IMPORT_MAX_FILE_BYTES, batchSize: this.config.IMPORT_BATCH_SIZE };
  }

  async createFileImport(actor: Actor, input: { path: string; fileName: string; source: 'upload' | 'cli'; options: FileImportOptions; idempotencyKey?: string | null }) {
    authorize(actor, 'imports.write');
    const id = randomUUID();
    const row = await importsRepository.create(this.sql, {
      id, layout: input.options.layout ?? null, source: input.source, fileName: input.fileName, filePath: input.path,
      options: input.options, createdBy: actor.userId, idempotencyKey: input.idempotencyKey,
    });
    if (!row) return (await importsRepository.byIdempotencyKey(this.sql, actor.userId, input.idempotencyKey!))!;
    await this.audit.record(actor, 'import.create', `import:${id}`, { fileName: input.fileName, source: input.source, options: input.options });
    return row;
  }

  /** Runs (or resumes) a file import to its end; a file that cannot be imported ends the import as failed with the reason. */
  async runFileImport(id: string, onProgress?: (p: ImportProgress) => void): Promise<ImportRow> {
    const row = await importsRepository.get(this.sql, id);
    if (!row?.filePath) throw new ImportNotFound(`There is no file import ${id}.`);
    try {
      await importFile(this.sql, id, row.filePath, row.options as FileImportOptions, this.limits, onProgress);
      await importsRepository.finish(this.sql, id, 'succeeded');
    } catch (error) {
      if (!(error instanceof FileRejected || error instanceof MappingError || error instanceof CellError)) throw error;
      logger.info('import failed', { importId: id, reason: error.message });
      await importsRepository.finish(this.sql, id, 'failed', error.message);
    }
    return (await importsRepository.get(this.sql, id))!;
  }

  async report(actor: Actor, id: string): Promise<ImportReport> {
    authorize(actor, 'imports.read');
    const row = /^[0-9a-f-]{36}$/i.test(id) ? await importsRepository.get(this.sql, id) : null;
    if (!row) throw new ImportNotFound(`There is no import ${id}.`);
    const { filePath: _path, linesDone: _done, createdBy: _by, ...visible } = row;
    return { ...visible, rejections: await importsRepository.rejections(this.sql, id) };
  }
}

export type { Layout };
