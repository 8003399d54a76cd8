import express from 'express';
import type { EngagementService } from '../../crm/engagement/engagement.service.js';

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * Open and click tracking of campaign emails (and clicks of texts' short links), reached by anyone's mail program: no sign-in, nothing revealed. The
 * pixel answers the same whatever the token; a click goes only to a link of the message the token names. Plain
 * Express in front of Nest's routes: these are the CRM's busiest addresses (every open and click of every email),
 * and need no guard, no body and no error filter — each is one statement in PostgreSQL.
 */
export function trackingRoutes(engagement: EngagementService) {
  const router = express.Router();
  router.get('/o/:token', (req, res) => {
    void engagement.open(req.params.token, req.get('user-agent') ?? '').catch(() => {}).finally(() => {
      res.set({ 'Cache-Control': 'no-store, private', 'Content-Type': 'image/gif' }).send(PIXEL);
    });
  });
  const click = (short: boolean): express.RequestHandler => (req, res, next) => {
    engagement.click(req.params.token as string, req.get('user-agent') ?? '', short).then((destination) => {
      if (!destination) {
        res.status(404).type('text/plain').send(`This link is not valid: it was changed, or it did not come from one of our ${short ? 'texts' : 'emails'}.`);
        return;
      }
      res.set('Cache-Control', 'no-store, private').redirect(302, destination);
    }, next);
  };
  router.get('/c/:token', click(false));
  // Short links of SMS campaigns: the same click, from a token short enough for a text.
  router.get('/s/:token', click(true));
  return router;
}
