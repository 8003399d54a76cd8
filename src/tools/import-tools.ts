import { z } from 'zod';
import { defineTool } from './crm-tool.js';

const importStatus = z.object({
  importId: z.string(), status: z.string(), received: z.number(), inserted: z.number(), updated: z.number(), unchanged: z.number(),
  rejected: z.number(), rejections: z.array(z.object({ position: z.number(), field: z.string().nullable(), reason: z.string() })).describe('At most 10 shown'),
});

export const importRecords = defineTool({
  name: 'import_records',
  description: 'Add or update customers or orders from records (at most 1,000 per call). Bad records are reported by position while good ones are kept; the same idempotencyKey twice changes nothing.',
  input: z.object({
    layout: z.enum(['customers', 'orders']),
    records: z.array(z.record(z.string(), z.unknown())).min(1).max(1000),
    idempotencyKey: z.string().min(1).max(200).optional(),
  }),
  output: z.object({ importId: z.string(), status: z.string(), received: z.number(), rejected: z.number(), repeated: z.boolean() }),
  risk: 'write',
  permission: 'imports.write',
  checksRecordsItself: 'records',
  execute: async ({ layout, records, idempotencyKey }, { actor, services }) => {
    const { import: row, repeated } = await services.ingestion.acceptRecords(actor, layout, records, idempotencyKey);
    return { importId: row.id, status: row.status, received: row.received, rejected: row.rejected, repeated };
  },
});

export const getImportStatus = defineTool({
  name: 'get_import_status',
  description: 'How an import went: status and counts (received, inserted, updated, unchanged, rejected) and the first rejections with their reasons.',
  input: z.object({ importId: z.uuid() }),
  output: importStatus,
  risk: 'read',
  permission: 'imports.read',
  execute: async ({ importId }, { actor, services }) => {
    const r = await services.ingestion.report(actor, importId);
    return { importId: r.id, status: r.status, received: r.received, inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, rejections: r.rejections.slice(0, 10) };
  },
});
