import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { channelRoutes } from '../../crm/delivery/carriers-setup.js';
import type { Response } from 'express';
import { migrationsCurrent } from '../../db/database.js';
import { Sql } from '../../db/sql.js';
import { CrmEventsListener } from '../../events/crm-events-listener.js';
import { Public } from './decorators.js';

// A load balancer asks often and gives up soon: a database that does not answer within this is as good as down.
const ANSWER_WITHIN_MS = 2000;

const within = <T>(work: Promise<T>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('late')), ms); });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
};

@Controller()
export class HealthController {
  constructor(private readonly sql: Sql, private readonly listener: CrmEventsListener, @Inject(CONFIG) private readonly config: Config) {}

  /** 200 when the database answers in time and every migration has run; 503 with the reason otherwise. Never hangs. */
  @Public()
  @Get('healthz')
  async health(@Res() res: Response) {
    const events = this.listener.listening ? 'listening' : 'reconnecting';
    // Which way each channel leaves, never with credentials: a simulated channel is said plainly.
    const channels = Object.fromEntries(Object.entries(channelRoutes(this.config)).map(([channel, r]) => [channel, `${r.carrier}: ${r.description}`]));
    let current: boolean;
    try {
      await within(this.sql.query('select 1'), ANSWER_WITHIN_MS);
      current = await within(migrationsCurrent(this.sql), ANSWER_WITHIN_MS);
    } catch (error) {
      const late = (error as Error).message === 'late';
      return res.status(503).json({ status: 'unhealthy', database: late ? `not answering within ${ANSWER_WITHIN_MS / 1000} s` : 'unreachable', events, channels });
    }
    res.status(current ? 200 : 503).json({ status: current ? 'ok' : 'unhealthy', database: 'reachable', migrations: current ? 'current' : 'pending', events, channels });
  }
}
