import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ProviderEventsService } from '../../crm/delivery/provider-events.service.js';
import { twilioStatusPath } from '../../crm/delivery/sms/twilio-carrier.js';
import { Public } from './decorators.js';

/** Twilio's webhooks: message status callbacks and texts customers send to our number. Checked by X-Twilio-Signature. */
@Controller()
export class TwilioWebhooksController {
  constructor(private readonly events: ProviderEventsService) {}

  @Public()
  @Post(twilioStatusPath.slice(1))
  @HttpCode(200)
  status(@Req() req: Request, @Headers('x-twilio-signature') signature: string | undefined, @Body() body: unknown) {
    return this.events.twilioStatus(signature, req.originalUrl, body);
  }

  /** Set as the number's "A message comes in" webhook in Twilio's console. */
  @Public()
  @Post('api/webhooks/twilio/inbound')
  @HttpCode(200)
  async inbound(@Req() req: Request, @Headers('x-twilio-signature') signature: string | undefined, @Body() body: unknown, @Res() res: Response) {
    res.type('text/xml').send(await this.events.twilioInbound(signature, req.originalUrl, body));
  }
}
