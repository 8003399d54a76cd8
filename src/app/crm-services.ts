import { AuditService } from '../audit/audit.service.js';
import { TokensService } from '../auth/tokens.service.js';
import { UsersService } from '../auth/users.service.js';
import type { Config } from '../config/config.schema.js';
import { CampaignsService } from '../crm/campaigns/campaigns.service.js';
import { TestMessagesService } from '../crm/delivery/test-message.service.js';
import { IngestionService } from '../crm/ingestion/ingestion.service.js';
import { SegmentsService } from '../crm/segments/segments.service.js';
import { systemClock } from '../crm/time/clock.js';
import type { Sql } from '../db/sql.js';
import type { EventBus } from '../events/crm-events.js';
import type { JobQueue } from '../jobs/job-queue.js';

/**
 * The CRM's services for code that runs outside the HTTP application (the CLI, the workers), wired as the
 * application wires them — one place, so that a service's new dependency is added once.
 */
export function crmServices(sql: Sql, config: Config, options: { queue?: JobQueue; events?: EventBus } = {}) {
  const audit = new AuditService(sql);
  const segments = new SegmentsService(sql, audit, config, systemClock);
  return {
    audit,
    segments,
    campaigns: new CampaignsService(sql, audit, segments, config, options.queue),
    ingestion: new IngestionService(sql, audit, config, options.queue, options.events),
    testMessages: new TestMessagesService(audit, config),
    users: new UsersService(sql, audit, config),
    tokens: new TokensService(sql, audit),
  };
}

export type CrmServices = ReturnType<typeof crmServices>;
