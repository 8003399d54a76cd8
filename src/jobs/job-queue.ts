import { PgBoss } from 'pg-boss';
import { logger } from '../logging/logger.js';

/** Queues of background work, all in the CRM's own PostgreSQL (schema pgboss), shared by every worker process. */
export const queueNames = {
  importRecords: 'import-records',
  importFile: 'import-file',
  /** One per launched campaign: splits its messages into send batches. */
  deliveryDispatch: 'delivery-dispatch',
  /** One batch of a campaign's messages to hand to the vendor. */
  deliverySend: 'delivery-send',
  /** Receipts posted by the vendor, waiting to be applied. */
  deliveryReceipts: 'delivery-receipts',
} as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];
const exclusiveQueues = new Set<QueueName>([queueNames.deliveryDispatch, queueNames.deliverySend]);

// NOTIFY wakes an idle worker at once, but a busy one misses it; it must still look again soon, not after 30 seconds.
const polling = { pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 };

/** `statementTimeoutMs`: PostgreSQL cancels any statement of the queue's pool that runs longer (none when unset). */
export interface JobQueueOptions { superviseSeconds: number; statementTimeoutMs?: number }

export class JobQueue {
  private stopping = false;

  private constructor(private readonly boss: PgBoss) {
    // Once stopping, a connection the database closes under a last poll is part of stopping, not a failure.
    boss.on('error', (error) => {
      if (this.stopping && /terminating connection|Connection terminated|connection ended|Cannot use a pool/i.test(String((error as Error).message))) {
        logger.debug('job queue connection closed while stopping', { reason: (error as Error).message });
      } else {
        logger.error('job queue error', { error });
      }
    });
  }

  static async start(url: string, options: JobQueueOptions): Promise<JobQueue> {
    const boss = new PgBoss({
      // pg-boss hands its options to node-postgres's pool, which applies statement_timeout to each connection.
      connectionString: url, max: 6, useListenNotify: true, ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      superviseIntervalSeconds: options.superviseSeconds, monitorIntervalSeconds: options.superviseSeconds,
    });
    const queue = new JobQueue(boss);
    await boss.start();
    for (const name of Object.values(queueNames)) {
      // A worker that dies stops its heartbeat; after ten seconds the job is retried by whichever worker is alive.
      // Delivery jobs are exclusive per key: one campaign's dispatch, or one batch, is never queued or run twice at once.
      const policy = exclusiveQueues.has(name) ? 'exclusive' : 'standard';
      await boss.createQueue(name, { policy, heartbeatSeconds: 10, retryLimit: 20, retryDelay: 1, retryBackoff: true, retryDelayMax: 30, expireInSeconds: 6 * 3600, notify: true });
    }
    return queue;
  }

  async send(queue: QueueName, data: object, key?: string) {
    return this.boss.send(queue, data, key ? { singletonKey: key } : undefined);
  }

  /** Many jobs in one statement; a job whose key is already queued or running is not added again. */
  async sendMany(queue: QueueName, jobs: { data: object; key?: string }[]) {
    if (jobs.length) await this.boss.insert(queue, jobs.map((j) => ({ data: j.data, singletonKey: j.key })));
  }

  async work<T>(queue: QueueName, handler: (data: T) => Promise<void>, options: { concurrency?: number } = {}) {
    await this.boss.work<T>(queue, { ...polling, localConcurrency: options.concurrency ?? 1 }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }

  /** Takes up to `batchSize` jobs at a time and hands them over together (receipts are applied a batch at a time). */
  async workBatch<T>(queue: QueueName, batchSize: number, handler: (data: T[]) => Promise<void>) {
    await this.boss.work<T>(queue, { ...polling, batchSize, burstWhenBatchFull: true }, async (jobs) => {
      await handler(jobs.map((job) => job.data));
    });
  }

  async stop() {
    this.stopping = true;
    await this.boss.stop({ graceful: true, timeout: 5000 });
  }
}
