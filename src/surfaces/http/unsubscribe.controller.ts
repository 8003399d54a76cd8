import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ConsentService, type UnsubscribeView } from '../../crm/consent/consent.service.js';
import { CrmError } from '../../crm/errors.js';
import { escapeHtml } from '../../crm/html.js';
import { statusOf } from './errors.filter.js';
import { Public } from './decorators.js';

const what = (v: UnsubscribeView) => (v.channel === 'email' ? 'emails' : 'text messages');

/** A small page of its own: the customer is not a CRM user, has no session and should load nothing else. */
function page(title: string, body: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;background:#f4f4f5;color:#18181b;margin:0;padding:48px 16px}
main{max-width:440px;margin:auto;background:#fff;border-radius:8px;padding:28px 32px}button{font:inherit;padding:.5rem 1.1rem;border-radius:6px;border:1px solid #18181b;background:#18181b;color:#fff;cursor:pointer}
button.quiet{background:#fff;color:#18181b}</style></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

const form = (token: string, action: 'unsubscribe' | 'resubscribe', label: string, quiet = false) =>
  `<form method="post" action="/unsubscribe/${encodeURIComponent(token)}"><input type="hidden" name="action" value="${action}"><button${quiet ? ' class="quiet"' : ''}>${escapeHtml(label)}</button></form>`;

const confirmPage = (token: string, v: UnsubscribeView) => page(`Unsubscribe from our ${what(v)}?`,
  `<p>You will get no more marketing ${what(v)} at <strong>${escapeHtml(v.address)}</strong>.</p>${form(token, 'unsubscribe', 'Unsubscribe')}`);
const donePage = (token: string, v: UnsubscribeView) => page('You are unsubscribed',
  `<p>We will send no more marketing ${what(v)} to <strong>${escapeHtml(v.address)}</strong>. It can take effect for a message already on its way.</p><p>Changed your mind?</p>${form(token, 'resubscribe', 'Subscribe again', true)}`);
const backPage = (token: string, v: UnsubscribeView) => page('You are subscribed again',
  `<p>Welcome back: <strong>${escapeHtml(v.address)}</strong> will get our ${what(v)} again.</p>${form(token, 'unsubscribe', 'Unsubscribe', true)}`);

/**
 * The unsubscribe link of every email: a confirmation page (opening a link must not unsubscribe anyone, since mail
 * scanners open links), the one-click POST of RFC 8058 that mail programs send for their own Unsubscribe button,
 * and a way back. No sign-in: the signed token is the customer's proof.
 */
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(private readonly consent: ConsentService) {}

  @Public()
  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    await this.answer(res, async () => {
      const view = await this.consent.linkView(token);
      return view.subscribed ? confirmPage(token, view) : donePage(token, view);
    });
  }

  @Public()
  @Post(':token')
  @HttpCode(200)
  async act(@Param('token') token: string, @Body() body: Record<string, unknown> | undefined, @Res() res: Response) {
    if (body?.['List-Unsubscribe'] === 'One-Click') {
      await this.consent.unsubscribe(token, 'one-click');
      res.type('text/plain').send('Unsubscribed.');
      return;
    }
    await this.answer(res, async () => {
      if (body?.action === 'resubscribe') return backPage(token, await this.consent.resubscribe(token));
      return donePage(token, await this.consent.unsubscribe(token, 'page'));
    });
  }

  private async answer(res: Response, render: () => Promise<string>) {
    try {
      res.type('html').send(await render());
    } catch (error) {
      if (!(error instanceof CrmError)) throw error;
      res.status(statusOf[error.kind]).type('html').send(page('This link does not work', `<p>${escapeHtml(error.message)}</p>`));
    }
  }
}
