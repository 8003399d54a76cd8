import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { MailFeedbackService } from '../../crm/delivery/feedback/mail-feedback.service.js';
import { SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER } from '../../crm/delivery/feedback/sendgrid-events.js';
import { Public } from './decorators.js';

/** Email providers' reports of bounces, complaints and unsubscribes. Authenticated by each provider's signature. */
@Controller('api/webhooks')
export class MailWebhooksController {
  constructor(private readonly feedback: MailFeedbackService) {}

  /** SendGrid's Event Webhook, with "Signed Event Webhook Requests" turned on. */
  @Public()
  @Post('sendgrid')
  @HttpCode(200)
  sendgrid(
    @Req() req: Request & { rawBody?: Buffer }, @Headers(SENDGRID_SIGNATURE_HEADER) signature: string | undefined,
    @Headers(SENDGRID_TIMESTAMP_HEADER) timestamp: string | undefined, @Body() body: unknown,
  ) {
    return this.feedback.sendgrid(req.rawBody, signature, timestamp, body);
  }

  /** An Amazon SNS topic that SES publishes bounce and complaint notifications to (HTTPS subscription). */
  @Public()
  @Post('ses')
  @HttpCode(200)
  ses(@Body() body: unknown) {
    return this.feedback.ses(body);
  }
}
