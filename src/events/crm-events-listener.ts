import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { Sql } from '../db/sql.js';
import { logger } from '../logging/logger.js';
import { EVENTS_CHANNEL, type EventEnvelope } from './crm-events.js';

type Subscriber = (envelope: EventEnvelope) => void;

const RETRY_MS = [100, 500, 1000, 2000, 5000];

/**
 * One LISTEN connection per server process for the CRM's events, shared by whoever passes them on (the web app's
 * websocket, Slack messages updated in place). The connection is its own, outside the pool, and is watched: when
 * the database drops it (a restart, a failover, pg_terminate_backend) the error is logged and a new connection
 * listens again, so events resume and the process lives on.
 */
@Injectable()
export class CrmEventsListener implements OnModuleInit, OnModuleDestroy {
  private readonly subscribers = new Set<Subscriber>();
  private connection?: pg.Client;
  private stopped = false;
  private attempt = 0;
  private retry?: NodeJS.Timeout;

  constructor(private readonly sql: Sql) {}

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** True while a LISTEN connection is open: for the health check and the tests. */
  get listening() {
    return this.connection !== undefined;
  }

  async onModuleInit() {
    await this.connect();
  }

  private async connect() {
    const client = new pg.Client({ connectionString: this.sql.url });
    // Attached before connecting: an error at any moment of this client's life must reach this handler.
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => this.deliver(message));
    await client.connect();
    await client.query(`listen ${EVENTS_CHANNEL}`);
    if (this.stopped) return void client.end().catch(() => {});
    this.connection = client;
    if (this.attempt > 0) logger.info('events connection restored', { attempts: this.attempt });
    this.attempt = 0;
  }

  private lost(client: pg.Client, error?: Error) {
    if (this.connection !== client || this.stopped) return;
    this.connection = undefined;
    client.end().catch(() => {});
    logger.warn('events connection lost; reconnecting', { reason: error?.message ?? 'closed by the server' });
    this.reconnectLater();
  }

  private reconnectLater() {
    const delay = RETRY_MS[Math.min(this.attempt++, RETRY_MS.length - 1)];
    this.retry = setTimeout(() => {
      this.connect().catch((error) => {
        logger.warn('events connection not restored yet', { reason: (error as Error).message, retryInMs: RETRY_MS[Math.min(this.attempt, RETRY_MS.length - 1)] });
        if (!this.stopped) this.reconnectLater();
      });
    }, delay);
    this.retry.unref();
  }

  private deliver(message: pg.Notification) {
    if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
    let envelope: EventEnvelope;
    try {
      envelope = JSON.parse(message.payload) as EventEnvelope;
    } catch {
      return logger.warn('event not readable', { channel: message.channel });
    }
    for (const subscriber of this.subscribers) {
      try {
        subscriber(envelope);
      } catch (error) {
        logger.warn('event subscriber failed', { event: envelope.event, reason: (error as Error).message });
      }
    }
  }

  async onModuleDestroy() {
    this.stopped = true;
    clearTimeout(this.retry);
    this.subscribers.clear();
    const client = this.connection;
    this.connection = undefined;
    await client?.end().catch(() => {});
  }
}
