import { MikroORM } from '@mikro-orm/postgresql';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { migrationsCurrent } from '../../db/database.js';
import { Public } from './decorators.js';

@Controller()
export class HealthController {
  constructor(private readonly orm: MikroORM) {}

  /** 200 when the database answers and every migration has run; 503 with the reason otherwise. */
  @Public()
  @Get('healthz')
  async health(@Res() res: Response) {
    try {
      await this.orm.em.getConnection().execute('select 1');
    } catch {
      return res.status(503).json({ status: 'unhealthy', database: 'unreachable' });
    }
    const current = await migrationsCurrent(this.orm);
    res.status(current ? 200 : 503).json({ status: current ? 'ok' : 'unhealthy', database: 'reachable', migrations: current ? 'current' : 'pending' });
  }
}
