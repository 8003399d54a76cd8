import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { Actor } from '../../auth/actor.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import type { ImportRow } from '../../crm/ingestion/imports.repository.js';
import { IngestionService } from '../../crm/ingestion/ingestion.service.js';
import { parseInput } from '../../crm/errors.js';
import { CurrentActor, Requires } from './decorators.js';
import { receiveUpload } from './upload.js';

const idempotencyKey = z.string().trim().min(1).max(200).optional();
export const uploadFields = z.object({
  layout: z.enum(['customers', 'orders', 'order-lines']).optional(),
  map: z.string().max(4000).optional().transform((v, ctx) => {
    if (!v) return undefined;
    try {
      // Either JSON ({"Client":"customerId"}) or column=field pairs separated by commas.
      return v.trim().startsWith('{') ? z.record(z.string(), z.string()).parse(JSON.parse(v))
        : Object.fromEntries(v.split(',').map((pair) => pair.split('=').map((s) => s.trim())).filter((p) => p.length === 2 && p[0]));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON or column=field pairs' });
      return z.NEVER;
    }
  }),
  dateFormat: z.string().max(40).optional(),
  refundPrefix: z.string().max(10).optional(),
});

export const layoutBody = z.object({
  header: z.array(z.string().max(500)).min(1).max(500),
  map: z.record(z.string().max(500), z.string().max(50)).optional(),
  layout: z.enum(['customers', 'orders', 'order-lines']).optional(),
});

const accepted = (row: ImportRow, repeated: boolean) => ({
  importId: row.id, status: row.status, received: row.received, rejected: row.rejected, repeated, statusUrl: `/api/imports/${row.id}`,
});

/** Customers and orders in: JSON batches and files, both queued for a worker; and how each import went. */
@Controller('api')
export class ImportsController {
  constructor(private readonly ingestion: IngestionService, @Inject(CONFIG) private readonly config: Config) {}

  @Post('customers')
  @HttpCode(202)
  @Requires('imports.write')
  async customers(@CurrentActor() actor: Actor, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const result = await this.ingestion.acceptRecords(actor, 'customers', body, parseInput(idempotencyKey, key));
    return accepted(result.import, result.repeated);
  }

  @Post('orders')
  @HttpCode(202)
  @Requires('imports.write')
  async orders(@CurrentActor() actor: Actor, @Body() body: unknown, @Headers('idempotency-key') key?: string) {
    const result = await this.ingestion.acceptRecords(actor, 'orders', body, parseInput(idempotencyKey, key));
    return accepted(result.import, result.repeated);
  }

  @Post('imports')
  @HttpCode(202)
  @Requires('imports.write')
  async upload(@CurrentActor() actor: Actor, @Req() req: Request, @Headers('idempotency-key') key_?: string) {
    // Received into this machine's temporary directory (checked and hashed on the way), then kept in the database.
    const upload = await receiveUpload(req, join(tmpdir(), 'crm-uploads'), this.config.IMPORT_MAX_FILE_BYTES);
    let path = upload.path;
    try {
      const options = parseInput(uploadFields, upload.fields);
      const key = parseInput(idempotencyKey, key_);
      path = await this.ingestion.keepUpload(upload.path);
      const row = await this.ingestion.createFileImport(actor, {
        path, fileName: upload.fileName, source: 'upload', idempotencyKey: key, fileDigest: upload.digest,
        options: { layout: options.layout, map: options.map, dateFormat: options.dateFormat, refundPrefix: options.refundPrefix },
      });
      if (row.repeated) await this.ingestion.dropUpload(path);
      else await this.ingestion.queueFileImport(row.id);
      return accepted(row, row.repeated);
    } catch (error) {
      // Refused before it was queued: nobody will ever read this copy.
      await this.ingestion.dropUpload(path);
      throw error;
    }
  }

  @Get('imports/:id')
  @Requires('imports.read')
  report(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.ingestion.report(actor, id);
  }

  @Post('imports/layout')
  @HttpCode(200)
  @Requires('imports.write')
  layout(@CurrentActor() actor: Actor, @Body() body: unknown) {
    const { header, map, layout } = parseInput(layoutBody, body);
    return this.ingestion.previewLayout(actor, header, map, layout);
  }

  @Get('imports')
  @Requires('imports.read')
  recent(@CurrentActor() actor: Actor) {
    return this.ingestion.recent(actor);
  }

  @Get('imports/:id/rejections.csv')
  @Requires('imports.read')
  @Header('content-type', 'text/csv; charset=utf-8')
  rejections(@CurrentActor() actor: Actor, @Param('id') id: string) {
    return this.ingestion.rejectionsCsv(actor, id);
  }
}
