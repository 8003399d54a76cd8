import { isRetryable, type Sql } from '../../db/sql.js';
import { detectLayout, mapColumns, requiredFields, type Layout } from './columns.js';
import { importsRepository, MAX_STORED_REJECTIONS, type CountsDelta, type Rejection } from './imports.repository.js';
import { importMemory, writeOrderBatch, upsertCustomers, type BatchCounts, type PositionedLine } from './import-writer.js';
import { prepareLineBatch, writePreparedLines, type PreparedLines } from './line-batch.js';
import { FileRejected, readLines, type SourceProgress } from './line-source.js';
import { fileBytes } from './stored-upload.js';
import type { CustomerRecord, OrderRecord } from './records.js';
import { rowMapper } from './row-mapper.js';
import { isDuplicateOrder } from '../orders/order-writer.js';
import { textProblem } from '../text.js';
import { formatCount } from '../format.js';
import { formatDateParser, isoDateParser, memoised } from './values.js';

export interface FileImportOptions {
  layout?: Layout;
  map?: Record<string, string>;
  dateFormat?: string;
  refundPrefix?: string | null;
}

export interface ImportLimits { maxLineBytes: number; maxFileBytes: number; batchSize: number }

export interface ImportProgress { importId: string; lines: number; bytesRead: number; totalBytes: number; linesPerSecond: number; secondsLeft: number | null; counts: CountsDelta }

/** The first cell of a line that breaks the CRM's text rule, named by its column. */
function brokenCell(cells: string[], header: string[]): { field: string | null; reason: string } | null {
  for (let i = 0; i < cells.length; i++) {
    const reason = textProblem(cells[i]);
    if (reason) return { field: header[i]?.trim() || `column ${i + 1}`, reason };
  }
  return null;
}

const emptyCounts = (): CountsDelta => ({ received: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 });

/**
 * Imports one file into the CRM: reads it a chunk at a time, maps and validates each line, and writes batches in
 * their own transactions, each committing its counts, its rejected lines and a checkpoint together. Run again after
 * a crash, it skips the lines already committed and goes on; every write is an upsert by external id and line
 * position, so nothing is counted twice.
 */
export async function importFile(sql: Sql, importId: string, path: string, options: FileImportOptions, limits: ImportLimits, onProgress?: (p: ImportProgress) => void): Promise<CountsDelta> {
  const record = await importsRepository.get(sql, importId);
  if (!record) throw new Error(`import ${importId} does not exist`);
  const checkpoint = record.linesDone;
  await importsRepository.start(sql, importId);

  const progress: SourceProgress = { bytesRead: 0, totalBytes: 0 };
  const started = performance.now();
  const total = emptyCounts();
  let pending = emptyCounts();
  let rejections: Rejection[] = [];
  // Rejected lines are all counted, but only the first MAX_STORED_REJECTIONS are kept, in memory as in the database:
  // a file of nothing but bad lines must cost no more than a file of good ones.
  let rejectionsKept = Math.min(record.rejected, MAX_STORED_REJECTIONS);
  let mapper: ReturnType<typeof rowMapper> | undefined;
  let header: string[] = [];
  let layout: Layout | undefined;
  let lastLine = 0;

  const customers: CustomerRecord[] = [];
  const orders: OrderRecord[] = [];
  const lines: PositionedLine[] = [];
  const positions = new Map<string, number>(); // invoice → lines seen so far, across the whole file
  const written = new Set<string>(); // invoices with lines in an earlier batch
  const memory = importMemory();
  let currentInvoice: string | null = null;

  const report = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = lastLine / Math.max(seconds, 0.001);
    const fraction = progress.totalBytes ? progress.bytesRead / progress.totalBytes : 0;
    const secondsLeft = fraction > 0.01 ? (seconds / fraction) * (1 - fraction) : null;
    onProgress?.({ importId, lines: lastLine, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes, linesPerSecond: Math.round(rate), secondsLeft, counts: { ...total } });
  };

  // One batch is written while the next is read, mapped and prepared; batches still commit one after another, in
  // order, and are prepared one after another too (they share the import's memory of customers and products).
  // (Reading two batches ahead instead halved the time reading waited for writes, but not the import's: on two
  // cores the two sides share, one was rarely idle for want of work. It held one batch more, 40 MB.)
  let writing: Promise<void> = Promise.resolve();
  let preparing: Promise<unknown> = Promise.resolve();
  const flush = async () => {
    const before = writing;
    if (!lastLine || lastLine <= checkpoint) return void (await before);
    const batchLines = lines.splice(0);
    const batchOrders = orders.splice(0);
    const batchCustomers = customers.splice(0);
    const batchRejections = rejections;
    const delta = pending;
    const batchEnd = lastLine;
    rejections = [];
    pending = emptyCounts();
    // Lines of an invoice come together in most files: each invoice is looked at once, where its lines begin.
    const continued = new Set<string>();
    const begun: string[] = [];
    let previous: string | null = null;
    for (const l of batchLines) {
      if (l.orderId === previous) continue;
      previous = l.orderId;
      if (written.has(l.orderId)) continued.add(l.orderId);
      else begun.push(l.orderId);
    }
    for (const id of begun) written.add(id);
    const prepared = preparing.then(() => (batchLines.length ? prepareLineBatch(sql, batchLines, continued, memory) : null));
    preparing = prepared.catch(() => {});
    // A batch's commit need not wait for the disk: were the server to lose it, the checkpoint committed with it is
    // lost too, and the import, run again, writes those lines again.
    const write = (lineBatch: PreparedLines | null) => sql.transaction(async (client) => {
      let counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
      if (lineBatch) counts = await writePreparedLines(client, lineBatch);
      else if (batchOrders.length) counts = await writeOrderBatch(client, batchOrders);
      else if (batchCustomers.length) counts = await upsertCustomers(client, batchCustomers);
      Object.assign(delta, { inserted: counts.inserted, updated: counts.updated, unchanged: counts.unchanged });
      await importsRepository.recordBatch(client, importId, delta, batchEnd, batchRejections);
    }, { asynchronousCommit: true });
    const writeBatch = async (lineBatch: PreparedLines | null) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await write(lineBatch);
        } catch (error) {
          // Another writer created one of the batch's orders since it was prepared, or PostgreSQL chose this
          // transaction to give way in a deadlock: the batch rolled back whole, and is written again, its orders
          // placed afresh (finding that order there).
          if (!(isDuplicateOrder(error) || isRetryable(error)) || attempt === 3) throw error;
          if (lineBatch) lineBatch = await lineBatch.again();
        }
      }
    };
    writing = before.then(() => prepared).then(writeBatch).then(() => {
      for (const key of Object.keys(total) as (keyof CountsDelta)[]) total[key] += delta[key];
      report();
    });
    // Kept from becoming an unhandled rejection; the await below, or the next one of `writing`, rethrows it.
    writing.catch(() => {});
    await before;
  };

  // A file refused half-way (too large, say) stops the import only once the batch under way is written, so that
  // nothing of it lands after the import is reported finished.
  try {
    for await (const chunk of readLines(await fileBytes(sql, path), limits, progress)) {
      for (const parsed of chunk.lines) {
        if (!mapper) {
          if ('error' in parsed) throw new FileRejected(`The header line cannot be read: ${parsed.error}.`);
          header = parsed.fields;
          const columns = mapColumns(parsed.fields, options.map);
          layout = options.layout ?? detectLayout(columns.columns) ?? undefined;
          if (!layout) {
            throw new FileRejected(`No column of this file could be recognised (its header is: ${parsed.fields.slice(0, 12).join(', ')}); name the columns with --map column=field.`);
          }
          const missing = requiredFields[layout].filter((f) => !columns.columns.has(f));
          if (missing.length) throw new FileRejected(`This ${layout} file has no column for ${missing.join(', ')}; name it with --map column=${missing[0]}.`);
          await importsRepository.setIgnoredColumns(sql, importId, columns.ignored);
          if (record.layout !== layout) await sql.query(`update imports set layout = $2 where id = $1`, [importId, layout]);
          const parseDate = memoised(options.dateFormat ? formatDateParser(options.dateFormat) : isoDateParser());
          mapper = rowMapper({ layout, columns: columns.columns, header: parsed.fields, parseDate, refundPrefix: options.refundPrefix === undefined ? (layout === 'order-lines' ? 'C' : null) : options.refundPrefix });
          continue;
        }
        const broken = 'error' in parsed || chunk.textChecked ? null : brokenCell(parsed.fields, header);
        const mapped = 'error' in parsed ? { kind: 'reject' as const, field: null, reason: parsed.error }
          : broken ? { kind: 'reject' as const, ...broken } : mapper(parsed.fields);
        // Positions count every line of an invoice, committed or not, so a resumed import numbers lines the same way.
        // (A line's invoice number is already a copy of its own, not a piece of the file's text: kept all import long.)
        if (mapped.kind === 'line') {
          const position = (positions.get(mapped.record.orderId) ?? 0) + 1;
          positions.set(mapped.record.orderId, position);
          if (parsed.line > checkpoint && lines.length >= limits.batchSize && mapped.record.orderId !== currentInvoice) await flush();
          currentInvoice = mapped.record.orderId;
          if (parsed.line > checkpoint) {
            // The record is this line's own (zod made it): it takes its position as it is, with no copy.
            const positioned = mapped.record as PositionedLine;
            positioned.position = position;
            lines.push(positioned);
          }
          // Committed before a crash: a later line of the same invoice must add to its total, not replace it.
          else written.add(mapped.record.orderId);
        }
        if (parsed.line <= checkpoint) continue;
        lastLine = parsed.line;
        pending.received++;
        if (mapped.kind === 'reject') {
          pending.rejected++;
          if (rejectionsKept < MAX_STORED_REJECTIONS) {
            rejectionsKept++;
            rejections.push({ position: parsed.line, field: mapped.field, reason: mapped.reason });
          }
        } else if (mapped.kind === 'skip') pending.skipped++;
        else if (mapped.kind === 'customer') customers.push(mapped.record);
        else if (mapped.kind === 'order') orders.push(mapped.record);
        // Every kind of line fills the batch, rejected and skipped ones too, so the checkpoint and the counts move
        // on however few lines are good; order lines are left to the invoice boundary above.
        if (mapped.kind !== 'line' && pending.received >= limits.batchSize) await flush();
      }
    }
  } catch (error) {
    await writing.catch(() => {});
    throw error;
  }
  if (!mapper) throw new FileRejected('The file has no header line.');
  await flush();
  await writing;

  const final = await importsRepository.get(sql, importId);
  if (final && final.received > 0 && final.received === final.rejected + final.skipped && final.received !== final.skipped) {
    const first = (await importsRepository.rejections(sql, importId, 3)).map((r) => `line ${r.position}${r.field ? ` (${r.field})` : ''}: ${r.reason}`);
    throw new FileRejected(`No line of this file could be imported; ${formatCount(final.rejected)} were rejected, for example ${first.join('; ')}.`);
  }
  if (final && final.received === 0) throw new FileRejected('The file has a header but no lines.');
  report();
  return total;
}
