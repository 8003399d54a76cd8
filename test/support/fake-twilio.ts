import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwilioRequest { to: string; from: string | null; messagingServiceSid: string | null; body: string; statusCallback: string | null; sid: string }

/** X-Twilio-Signature as Twilio makes it: HMAC-SHA1 with the auth token over the URL and the sorted fields, base64. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>) {
  const data = Object.keys(params).sort().reduce((s, k) => s + k + params[k], url);
  return createHmac('sha1', authToken).update(data).digest('base64');
}

/** Posts a form the way Twilio's webhooks do, signed (or, with `signWith`, signed with another token). */
export async function postAsTwilio(url: string, params: Record<string, string>, authToken: string, signWith = authToken) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature(signWith, url, params) },
    body: new URLSearchParams(params).toString(),
  });
}

/**
 * A stand-in for Twilio's REST API on loopback, speaking its wire protocol: the Messages resource under
 * /2010-04-01/Accounts/{sid}, form-encoded bodies, HTTP Basic auth with the account SID and auth token, Twilio's
 * JSON answers and error bodies. After accepting a message it posts signed status callbacks (sent, then delivered,
 * or undelivered with an error code for numbers told to fail), so the real `twilio` client and the CRM's signature
 * check both run.
 */
export async function startFakeTwilio(accountSid: string, authToken: string) {
  const requests: TwilioRequest[] = [];
  const failNumbers = new Map<string, { http?: number; code: number; message: string } | { undelivered: string }>();
  const callbacks: Promise<unknown>[] = [];
  const error = (res: import('node:http').ServerResponse, status: number, code: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return error(res, 401, 20003, 'Authenticate');
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === `/2010-04-01/Accounts/${accountSid}.json`) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ sid: accountSid, friendly_name: 'Test shop', status: 'active' }));
      }
      if (req.method !== 'POST' || path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) return error(res, 404, 20404, 'The requested resource was not found');
      const form = Object.fromEntries(new URLSearchParams(raw));
      if (!form.To || !form.Body || (!form.From && !form.MessagingServiceSid)) return error(res, 400, 21604, "A 'To' phone number, a 'Body' and a 'From' are required.");
      const fails = failNumbers.get(form.To);
      if (fails && 'code' in fails) return error(res, fails.http ?? 400, fails.code, fails.message);
      const sid = `SM${randomBytes(16).toString('hex')}`;
      requests.push({ to: form.To, from: form.From ?? null, messagingServiceSid: form.MessagingServiceSid ?? null, body: form.Body, statusCallback: form.StatusCallback ?? null, sid });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid, account_sid: accountSid, to: form.To, from: form.From ?? null, body: form.Body, status: 'queued', num_segments: '1', direction: 'outbound-api', date_created: new Date().toUTCString() }));
      if (form.StatusCallback) {
        const post = (params: Record<string, string>) => postAsTwilio(form.StatusCallback, { AccountSid: accountSid, MessageSid: sid, SmsSid: sid, To: form.To, ...params }, authToken);
        callbacks.push((async () => {
          await new Promise((r) => setTimeout(r, 20));
          await post({ MessageStatus: 'sent', SmsStatus: 'sent' });
          await post(fails && 'undelivered' in fails
            ? { MessageStatus: 'undelivered', SmsStatus: 'undelivered', ErrorCode: fails.undelivered }
            : { MessageStatus: 'delivered', SmsStatus: 'delivered' });
        })().catch(() => {}));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, requests, failNumbers,
    async stop() {
      await Promise.all(callbacks);
      await new Promise((r) => server.close(r));
    },
  };
}
