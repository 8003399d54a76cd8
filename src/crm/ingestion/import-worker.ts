import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { logger } from '../../logging/logger.js';
import type { IngestionService } from './ingestion.service.js';

/** Takes queued imports: API batches and uploaded files. Any number of processes may run it on one database. */
export async function startImportWorker(queue: JobQueue, ingestion: IngestionService) {
  await queue.work<{ importId: string }>(queueNames.importRecords, async ({ importId }) => {
    await ingestion.applyRecords(importId);
  });
  await queue.work<{ importId: string }>(queueNames.importFile, async ({ importId }) => {
    const result = await ingestion.runFileImport(importId);
    logger.info('file import finished', { importId, status: result.status, received: result.received });
  });
}
