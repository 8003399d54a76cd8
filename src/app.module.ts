import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AuditService } from './audit/audit.service.js';
import { OidcService } from './auth/oidc.service.js';
import { SessionsService } from './auth/sessions.service.js';
import { TokensService } from './auth/tokens.service.js';
import { SignInThrottle } from './auth/sign-in-throttle.js';
import { OAuthService } from './auth/oauth/oauth.service.js';
import { OAuthController } from './surfaces/http/oauth.controller.js';
import { ToolCallLog } from './audit/tool-calls.js';
import { UsersService } from './auth/users.service.js';
import { AuthController } from './surfaces/http/auth.controller.js';
import { AuthGuard } from './surfaces/http/auth.guard.js';
import { ErrorsFilter } from './surfaces/http/errors.filter.js';
import { HealthController } from './surfaces/http/health.controller.js';
import { TokensController } from './surfaces/http/tokens.controller.js';
import { UsersController } from './surfaces/http/users.controller.js';
import type { Config } from './config/config.schema.js';
import { CONFIG } from './config/config.token.js';
import { Sql } from './db/sql.js';
import { ImportsController } from './surfaces/http/imports.controller.js';
import { EventsGateway } from './surfaces/http/events.gateway.js';
import { IngestionService } from './crm/ingestion/ingestion.service.js';
import { EventBus } from './events/crm-events.js';
import { CrmEventsListener } from './events/crm-events-listener.js';
import { JobQueue } from './jobs/job-queue.js';
import { CampaignsController } from './surfaces/http/campaigns.controller.js';
import { DeliveryReceiptsController } from './surfaces/http/delivery-receipts.controller.js';
import { SegmentsController } from './surfaces/http/segments.controller.js';
import { AnalyticsController } from './surfaces/http/analytics.controller.js';
import { AnalyticsService } from './crm/analytics/analytics.service.js';
import { ToolsController } from './surfaces/http/tools.controller.js';
import { CustomersService } from './crm/customers/customers.service.js';
import { ToolRunner } from './tools/tool-runner.js';
import { CampaignsService } from './crm/campaigns/campaigns.service.js';
import { AutomationsService } from './crm/automations/automations.service.js';
import { ReceiptsService } from './crm/delivery/receipts.service.js';
import { VENDOR_CONNECTION, type VendorConnection } from './crm/delivery/vendor-connection.js';
import { SegmentsService } from './crm/segments/segments.service.js';
import { CLOCK, systemClock, type Clock } from './crm/time/clock.js';
import { ChatService } from './agent/chat.service.js';
import { ConversationsService } from './agent/conversations.service.js';
import { AGENT_MODEL, chooseModel, type ChosenModel } from './agent/model-choice.js';
import { databaseVocabulary } from './agent/language/vocabulary.js';
import { ChatController } from './surfaces/http/chat.controller.js';
import { McpEndpoint } from './surfaces/mcp/mcp-endpoint.js';
import { SlackBot } from './surfaces/slack/slack-bot.js';
import { ConsentService } from './crm/consent/consent.service.js';
import { ProviderEventsService } from './crm/delivery/provider-events.service.js';
import { UnsubscribeController } from './surfaces/http/unsubscribe.controller.js';
import { TwilioWebhooksController } from './surfaces/http/twilio-webhooks.controller.js';
import { MailWebhooksController } from './surfaces/http/mail-webhooks.controller.js';
import { MailFeedbackService } from './crm/delivery/feedback/mail-feedback.service.js';
import { TestMessagesService } from './crm/delivery/test-message.service.js';
import { EngagementService } from './crm/engagement/engagement.service.js';

export interface AppDependencies {
  config: Config; sql: Sql; queue: JobQueue; events: EventBus; vendor: VendorConnection;
  /** "Now" for relative rules; tests fix it. */
  clock?: Clock;
  /** The agent's model; chosen from the configuration when not given (tests give a mock or a local Gemini). */
  model?: ChosenModel;
}

@Module({})
export class AppModule {
  /** The database is opened before Nest starts (see boot.ts), so the module is given it rather than opening it. */
  static register(deps: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      controllers: [
        HealthController, AuthController, TokensController, UsersController, ImportsController, SegmentsController, CampaignsController,
        DeliveryReceiptsController, AnalyticsController, ToolsController, ChatController, UnsubscribeController, TwilioWebhooksController, MailWebhooksController, OAuthController,
      ],
      providers: [
        { provide: CONFIG, useValue: deps.config },
        { provide: Sql, useValue: deps.sql },
        { provide: JobQueue, useValue: deps.queue },
        { provide: EventBus, useValue: deps.events },
        { provide: VENDOR_CONNECTION, useValue: deps.vendor },
        { provide: CLOCK, useValue: deps.clock ?? systemClock },
        { provide: AGENT_MODEL, useValue: deps.model ?? chooseModel(deps.config, deps.clock ?? systemClock, databaseVocabulary(deps.sql)) },
        ChatService, ConversationsService, McpEndpoint, SlackBot,
        SegmentsService, CampaignsService, ReceiptsService, ConsentService, ProviderEventsService, MailFeedbackService, TestMessagesService, EngagementService, AnalyticsService, CustomersService, AutomationsService, ToolRunner,
        IngestionService, CrmEventsListener, EventsGateway, AuditService, UsersService, TokensService, SessionsService, SignInThrottle, ToolCallLog, OAuthService, OidcService,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorsFilter },
      ],
    };
  }
}
