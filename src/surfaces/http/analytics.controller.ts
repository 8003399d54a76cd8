import { Controller, Get } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { AnalyticsService } from '../../crm/analytics/analytics.service.js';
import { CurrentActor, Requires } from './decorators.js';

/** The overview dashboard and computed insights. */
@Controller('api/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('overview')
  @Requires('analytics.read')
  overview(@CurrentActor() actor: Actor) {
    return this.analytics.overview(actor);
  }

  @Get('insights')
  @Requires('analytics.read')
  insights(@CurrentActor() actor: Actor) {
    return this.analytics.insights(actor).then((i) => i.insights);
  }
}
