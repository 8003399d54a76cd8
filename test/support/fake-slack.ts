import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall { method: string; args: Record<string, any> }
export interface SlackPerson { email: string; confirmed?: boolean }

/**
 * A stand-in for Slack's Web API on loopback, speaking its wire format (form or JSON bodies, `{ok: …}` answers), so
 * Bolt's real WebClient talks to it. It records every call and answers users.info from a small directory.
 */
export async function startFakeSlack(people: Record<string, SlackPerson> = {}) {
  const calls: SlackCall[] = [];
  let ts = 1_700_000_000;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const args: Record<string, any> = {};
      if ((req.headers['content-type'] ?? '').includes('application/json')) Object.assign(args, raw ? JSON.parse(raw) : {});
      else for (const [k, v] of new URLSearchParams(raw)) args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
      calls.push({ method, args });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(method, args)));
    });
  });
  const answer = (method: string, args: Record<string, any>) => {
    switch (method) {
      case 'auth.test': return { ok: true, url: 'https://test.slack.com/', team: 'Test', user: 'crm', team_id: 'T1', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage': return { ok: true, channel: args.channel, ts: `${++ts}.000100`, message: { text: args.text } };
      case 'chat.update': return { ok: true, channel: args.channel, ts: args.ts };
      case 'chat.postEphemeral': return { ok: true, message_ts: `${++ts}.000200` };
      case 'users.info': {
        const person = people[args.user];
        if (!person) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: args.user, deleted: false, is_bot: false, is_email_confirmed: person.confirmed ?? true, profile: { email: person.email } } };
      }
      default: return { ok: true };
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, calls, people,
    of: (method: string) => calls.filter((c) => c.method === method),
    /** Polls the recorded calls until `found` returns something, or fails after a while with what was seen. */
    async waitFor<T>(found: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const value = found();
        if (value) return value;
        if (performance.now() > until) throw new Error(`no ${what}; Slack saw: ${JSON.stringify(calls.map((c) => c.method))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Posts to /slack/events as Slack does: signed with HMAC-SHA256 over `v0:{timestamp}:{body}`. */
export async function postToSlackEndpoint(
  crmUrl: string,
  secret: string | null,
  body: string,
  options: { contentType?: string; timestamp?: number; headers?: Record<string, string> } = {},
) {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = secret ? `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}` : null;
  const res = await fetch(`${crmUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': timestamp,
      ...(signature ? { 'x-slack-signature': signature } : {}),
      ...options.headers,
    },
    body,
  });
  return { status: res.status, text: await res.text() };
}

export const mentionEvent = (eventId: string, user: string, text: string, ts: string, threadTs?: string) => JSON.stringify({
  token: 'unused', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: Math.floor(Date.now() / 1000),
  event: { type: 'app_mention', user, text: `<@UBOT> ${text}`, ts, channel: 'C1', event_ts: ts, ...(threadTs ? { thread_ts: threadTs } : {}) },
});

export const buttonPress = (user: string, actionId: string, value: string, message: { ts: string; thread_ts?: string; blocks: unknown[] }, responseUrl: string) =>
  `payload=${encodeURIComponent(JSON.stringify({
    type: 'block_actions', user: { id: user }, team: { id: 'T1' }, channel: { id: 'C1' }, api_app_id: 'A1', trigger_id: 't', response_url: responseUrl,
    container: { type: 'message', message_ts: message.ts, channel_id: 'C1' }, message: { type: 'message', ...message },
    actions: [{ type: 'button', action_id: actionId, block_id: 'campaign_approval', value, action_ts: String(Date.now() / 1000) }],
  }))}`;
