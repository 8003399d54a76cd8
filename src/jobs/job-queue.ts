import { PgBoss } from 'pg-boss';
import { logger } from '../logging/logger.js';

/** Queues of background work, all in the CRM's own PostgreSQL (schema pgboss), shared by every worker process. */
export const queueNames = { importRecords: 'import-records', importFile: 'import-file' } as const;
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

export interface JobQueueOptions { superviseSeconds: number }

export class JobQueue {
  private constructor(private readonly boss: PgBoss) {}

  static async start(url: string, options: JobQueueOptions): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: url, max: 4,
      superviseIntervalSeconds: options.superviseSeconds, monitorIntervalSeconds: options.superviseSeconds,
    });
    boss.on('error', (error) => logger.error('job queue error', { error }));
    await boss.start();
    for (const name of Object.values(queueNames)) {
      // A worker that dies stops its heartbeat; after ten seconds the job is retried by whichever worker is alive.
      await boss.createQueue(name, { heartbeatSeconds: 10, retryLimit: 20, retryDelay: 1, expireInSeconds: 6 * 3600 });
    }
    return new JobQueue(boss);
  }

  async send(queue: QueueName, data: object, key?: string) {
    return this.boss.send(queue, data, key ? { singletonKey: key } : undefined);
  }

  async work<T>(queue: QueueName, handler: (data: T) => Promise<void>) {
    await this.boss.work<T>(queue, { pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) await handler(job.data);
    });
  }

  async stop() {
    await this.boss.stop({ graceful: true, timeout: 5000 });
  }
}
