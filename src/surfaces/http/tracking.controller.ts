import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { EngagementService } from '../../crm/engagement/engagement.service.js';
import { Public } from './decorators.js';

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Open and click tracking of campaign emails, reached by anyone's mail program: no sign-in, nothing revealed. The
 * pixel answers the same whatever the token; a click goes only to a link of the message the token names.
 */
@Controller('t')
export class TrackingController {
  constructor(private readonly engagement: EngagementService) {}

  @Public()
  @Get('o/:token')
  async open(@Param('token') token: string, @Headers('user-agent') userAgent: string | undefined, @Res() res: Response) {
    await this.engagement.open(token, userAgent ?? '').catch(() => {});
    res.set({ 'Cache-Control': 'no-store, private', 'Content-Type': 'image/gif' }).send(PIXEL);
  }

  @Public()
  @Get('c/:token')
  async click(@Param('token') token: string, @Headers('user-agent') userAgent: string | undefined, @Res() res: Response) {
    const destination = await this.engagement.click(token, userAgent ?? '');
    if (!destination) {
      res.status(404).type('text/plain').send('This link is not valid: it was changed, or it did not come from one of our emails.');
      return;
    }
    res.set('Cache-Control', 'no-store, private').redirect(302, destination);
  }
}
