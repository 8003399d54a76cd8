import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type pg from 'pg';
import { Sql } from '../db/sql.js';
import { logger } from '../logging/logger.js';
import { EVENTS_CHANNEL, type EventEnvelope } from './crm-events.js';

type Subscriber = (envelope: EventEnvelope) => void;

/**
 * One LISTEN connection per server process for the CRM's events, shared by whoever passes them on (the web app's
 * websocket, Slack messages updated in place).
 */
@Injectable()
export class CrmEventsListener implements OnModuleInit, OnModuleDestroy {
  private readonly subscribers = new Set<Subscriber>();
  private connection?: pg.PoolClient;

  constructor(private readonly sql: Sql) {}

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  async onModuleInit() {
    this.connection = await this.sql.pool.connect();
    this.connection.on('notification', (message) => {
      if (message.channel !== EVENTS_CHANNEL || !message.payload) return;
      const envelope = JSON.parse(message.payload) as EventEnvelope;
      for (const subscriber of this.subscribers) {
        try {
          subscriber(envelope);
        } catch (error) {
          logger.warn('event subscriber failed', { event: envelope.event, reason: (error as Error).message });
        }
      }
    });
    await this.connection.query(`listen ${EVENTS_CHANNEL}`);
  }

  async onModuleDestroy() {
    this.subscribers.clear();
    await this.connection?.query(`unlisten ${EVENTS_CHANNEL}`).catch(() => {});
    this.connection?.release();
  }
}
