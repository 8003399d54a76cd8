import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AuditService } from '../../src/audit/audit.service.js';
import type { Actor } from '../../src/auth/actor.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { FileImportOptions } from '../../src/crm/ingestion/file-importer.js';
import { IngestionService } from '../../src/crm/ingestion/ingestion.service.js';
import type { TestDatabase } from './test-database.js';

export const marketer: Actor = { userId: null, email: 'marketer@example.com', role: 'marketer', surface: 'cli' };

export function ingestion(db: TestDatabase, env: Record<string, string> = {}) {
  return new IngestionService(db.sql, new AuditService(db.sql), loadConfig({ DATABASE_URL: db.url, ...env }));
}

let dir: string | undefined;
export async function writeTemp(name: string, content: string | Buffer, gzip = false) {
  dir ??= await mkdtemp(join(tmpdir(), 'crm-import-'));
  const path = join(dir, name);
  await writeFile(path, gzip ? gzipSync(content) : content);
  return path;
}

/** Imports a file the way `crm import` does and returns the import's report. */
export async function importText(db: TestDatabase, name: string, content: string | Buffer, options: FileImportOptions = {}, env: Record<string, string> = {}) {
  const service = ingestion(db, env);
  const path = await writeTemp(name, content, name.endsWith('.gz'));
  const created = await service.createFileImport(marketer, { path, fileName: name, source: 'cli', options });
  await service.runFileImport(created.id);
  return service.report(marketer, created.id);
}
