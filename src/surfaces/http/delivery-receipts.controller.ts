import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ReceiptsService } from '../../crm/delivery/receipts.service.js';
import { SIGNATURE_HEADER } from '../../crm/delivery/signature.js';
import { Public } from './decorators.js';

/** Where the messaging vendor reports each message's fate. Authenticated by the vendor's signature, not a user. */
@Controller('api')
export class DeliveryReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Post('delivery-receipts')
  @Public()
  @HttpCode(202)
  accept(@Req() req: Request & { rawBody?: Buffer }, @Headers(SIGNATURE_HEADER) signature: string | undefined, @Body() body: unknown) {
    return this.receipts.accept(req.rawBody, signature, body);
  }
}
