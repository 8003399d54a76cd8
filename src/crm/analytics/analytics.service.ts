import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../auth/actor.js';
import { authorize, can } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { CampaignsService } from '../campaigns/campaigns.service.js';
import { CLOCK, type Clock } from '../time/clock.js';
import { bestHour, churnRisk, lifetimeValue } from './insights.js';
import { overviewFigures } from './overview.js';
import { AnalyticsSnapshots } from './snapshots.js';

/** The overview dashboard and the insights, for anyone who may read analytics. */
@Injectable()
export class AnalyticsService {
  constructor(
    private readonly sql: Sql,
    private readonly campaigns: CampaignsService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.snapshots = new AnalyticsSnapshots(sql, () => this.clock());
  }

  private readonly snapshots: AnalyticsSnapshots;

  async overview(actor: Actor) {
    authorize(actor, 'analytics.read');
    const [{ figures, asOf }, recent] = await Promise.all([
      this.snapshots.get('overview', () => overviewFigures(this.sql, this.clock(), this.config.TIME_ZONE)),
      // Campaign performance is part of the overview only for those who may read campaigns.
      can(actor, 'campaigns.read') ? this.campaigns.history(actor, { limit: 5 }) : Promise.resolve([]),
    ]);
    const campaignPerformance = recent.map((c) => ({ id: c.id, name: c.name, status: c.status, audience: c.audience, sent: c.sent, failed: c.failed, pending: c.pending, deliveryRate: c.deliveryRate, launchedAt: c.launchedAt }));
    return { currency: this.config.CURRENCY, ...figures, campaignPerformance, asOf: asOf?.toISOString() ?? null };
  }

  async insights(actor: Actor) {
    authorize(actor, 'analytics.read');
    const { figures, asOf } = await this.snapshots.get('insights', () => {
      const now = this.clock();
      return Promise.all([churnRisk(this.sql, now), lifetimeValue(this.sql, this.config.CURRENCY), bestHour(this.sql, now, this.config.TIME_ZONE)]);
    });
    return { insights: figures, asOf: asOf?.toISOString() ?? null };
  }
}
