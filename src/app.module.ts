import { MikroORM } from '@mikro-orm/postgresql';
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditService } from './audit/audit.service.js';
import { OidcService } from './auth/oidc.service.js';
import { SessionsService } from './auth/sessions.service.js';
import { TokensService } from './auth/tokens.service.js';
import { UsersService } from './auth/users.service.js';
import { AuthController } from './channels/http/auth.controller.js';
import { AuthGuard } from './channels/http/auth.guard.js';
import { ErrorsFilter } from './channels/http/errors.filter.js';
import { HealthController } from './channels/http/health.controller.js';
import { TokensController } from './channels/http/tokens.controller.js';
import { UsersController } from './channels/http/users.controller.js';
import type { Config } from './config/config.schema.js';
import { CONFIG } from './config/config.token.js';
import { Sql } from './db/sql.js';
import { ImportsController } from './channels/http/imports.controller.js';
import { EventsGateway } from './channels/http/events.gateway.js';
import { IngestionService } from './crm/ingestion/ingestion.service.js';
import { EventBus } from './events/crm-events.js';
import { JobQueue } from './jobs/job-queue.js';

export interface AppDependencies { config: Config; orm: MikroORM; sql: Sql; queue: JobQueue; events: EventBus }

@Module({})
export class AppModule {
  /** The database is opened before Nest starts (see boot.ts), so the module is given it rather than opening it. */
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, AuthController, TokensController, UsersController, ImportsController],
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: MikroORM, useValue: deps.orm },
        { provide: Sql, useValue: deps.sql },
        { provide: JobQueue, useValue: deps.queue },
        { provide: EventBus, useValue: deps.events },
        IngestionService, EventsGateway, AuditService, UsersService, TokensService, SessionsService, OidcService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
    };
  }
}
