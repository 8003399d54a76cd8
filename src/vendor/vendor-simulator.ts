import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign, signatureProblem, SIGNATURE_HEADER } from '../crm/delivery/signature.js';
import { SeededRandom } from '../db/seed/random.js';
import { logger } from '../logging/logger.js';
import { submitRequest, type Receipt, type SubmitResponse } from './vendor-protocol.js';

export interface VendorOptions {
  secret: string;
  seed: number;
  failureRate: number;
  duplicateRate: number;
  minDelayMs: number;
  maxDelayMs: number;
  acceptDelayMs: number;
}

// `at` is on the monotonic clock (performance.now()): the wall clock may be set back while receipts wait.
interface Due { at: number; url: string; receipt: Receipt; attempt: number }

const failureReasons = ['mailbox unavailable', 'number not reachable', 'rejected as spam', 'invalid address'];
const RECEIPTS_PER_REQUEST = 1000;
const TICK_MS = 25;

/**
 * A stand-in for an email/SMS provider with its own HTTP port. It accepts batches of messages, keeps each
 * idempotency key once (a repeated key returns the first answer and sends nothing), and later posts a signed
 * receipt per message to the batch's callback URL: SENT or FAILED, after a random delay, sometimes twice, so
 * receipts arrive duplicated and out of order. Outcomes and delays come from the seed and the message's key, so a
 * rerun with the same seed gives every message the same fate.
 */
export class VendorSimulator {
  private server?: Server;
  private timer?: NodeJS.Timeout;
  private readonly messages = new Map<string, { vendorMessageId: string; submissions: number }>();
  // Receipts waiting for their moment, in buckets of one tick, so each tick touches only what is due.
  private readonly due = new Map<number, Due[]>();
  private waiting = 0;
  private nextBucket = Math.floor(performance.now() / TICK_MS);
  private sequence = 0;
  private inFlight = 0;
  private batchesBeingAccepted = 0;
  private readonly counters = { batches: 0, submissions: 0, repeatedSubmissions: 0, sent: 0, failed: 0, receiptsPosted: 0, receiptsRejected: 0, callbackErrors: 0 };

  constructor(private readonly options: VendorOptions) {}

  async start(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res).catch((error) => {
      logger.error('vendor simulator request failed', { error });
      if (!res.headersSent) res.writeHead(500).end();
    }));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    this.timer = setInterval(() => void this.flush(), TICK_MS);
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async stop() {
    clearInterval(this.timer);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  stats() {
    let maxSubmissionsPerKey = 0;
    for (const m of this.messages.values()) maxSubmissionsPerKey = Math.max(maxSubmissionsPerKey, m.submissions);
    return { messages: this.messages.size, ...this.counters, maxSubmissionsPerKey, receiptsWaiting: this.waiting, receiptsInFlight: this.inFlight, batchesBeingAccepted: this.batchesBeingAccepted };
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const reply = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === '/stats') return reply(200, this.stats());
    if (req.method === 'GET' && req.url === '/healthz') return reply(200, { ok: true });
    if (req.method !== 'POST' || req.url !== '/messages') return reply(404, { error: 'not found' });
    const body = await readBody(req, 64 * 1024 * 1024);
    const problem = signatureProblem(this.options.secret, req.headers[SIGNATURE_HEADER] as string | undefined, body);
    if (problem) return reply(401, { error: problem });
    let parsed;
    try {
      parsed = submitRequest.safeParse(JSON.parse(body.toString('utf8')));
    } catch {
      return reply(400, { error: 'body is not JSON' });
    }
    if (!parsed.success) return reply(400, { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    if (this.options.acceptDelayMs) {
      this.batchesBeingAccepted++;
      await new Promise((r) => setTimeout(r, this.options.acceptDelayMs));
      this.batchesBeingAccepted--;
    }
    this.counters.batches++;
    const accepted: SubmitResponse['accepted'] = [];
    for (const message of parsed.data.messages) {
      this.counters.submissions++;
      const known = this.messages.get(message.idempotencyKey);
      if (known) {
        known.submissions++;
        this.counters.repeatedSubmissions++;
        accepted.push({ idempotencyKey: message.idempotencyKey, vendorMessageId: known.vendorMessageId, duplicate: true });
        continue;
      }
      const vendorMessageId = `vm_${(++this.sequence).toString(36)}`;
      this.messages.set(message.idempotencyKey, { vendorMessageId, submissions: 1 });
      this.schedule(message.idempotencyKey, vendorMessageId, parsed.data.callbackUrl);
      accepted.push({ idempotencyKey: message.idempotencyKey, vendorMessageId, duplicate: false });
    }
    reply(200, { accepted });
  }

  private schedule(key: string, vendorMessageId: string, url: string) {
    const o = this.options;
    const random = new SeededRandom(o.seed ^ createHash('sha1').update(key).digest().readUInt32LE(0));
    const failed = random.chance(o.failureRate);
    failed ? this.counters.failed++ : this.counters.sent++;
    const delay = random.int(o.minDelayMs, Math.max(o.minDelayMs, o.maxDelayMs));
    const at = performance.now() + delay;
    const receipt: Receipt = {
      idempotencyKey: key, vendorMessageId, status: failed ? 'FAILED' : 'SENT',
      reason: failed ? random.pick(failureReasons) : null, occurredAt: new Date(Date.now() + delay).toISOString(),
    };
    this.enqueue({ at, url, receipt, attempt: 0 });
    if (random.chance(o.duplicateRate)) this.enqueue({ at: at + random.int(0, Math.max(1, o.maxDelayMs)), url, receipt, attempt: 0 });
  }

  private enqueue(item: Due) {
    const bucket = Math.max(this.nextBucket, Math.floor(item.at / TICK_MS));
    const list = this.due.get(bucket);
    if (list) list.push(item);
    else this.due.set(bucket, [item]);
    this.waiting++;
  }

  /** Posts every receipt that is due, grouped by callback address, in signed requests of up to a thousand. */
  private async flush() {
    const current = Math.floor(performance.now() / TICK_MS);
    const byUrl = new Map<string, Due[]>();
    for (; this.nextBucket <= current; this.nextBucket++) {
      for (const d of this.due.get(this.nextBucket) ?? []) {
        const list = byUrl.get(d.url);
        if (list) list.push(d);
        else byUrl.set(d.url, [d]);
        this.waiting--;
      }
      this.due.delete(this.nextBucket);
    }
    for (const [url, items] of byUrl) {
      for (let i = 0; i < items.length; i += RECEIPTS_PER_REQUEST) void this.post(url, items.slice(i, i + RECEIPTS_PER_REQUEST));
    }
  }

  private async post(url: string, items: Due[]) {
    this.inFlight += items.length;
    const body = JSON.stringify({ receipts: items.map((d) => d.receipt) });
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(this.options.secret, body) }, body, signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      if (res.status >= 500) throw new Error(`status ${res.status}`);
      if (res.status >= 400) this.counters.receiptsRejected += items.length;
      else this.counters.receiptsPosted += items.length;
    } catch (error) {
      // The CRM is down or busy: try again later, as a real provider would, backing off up to a minute.
      this.counters.callbackErrors++;
      for (const d of items) this.enqueue({ ...d, at: performance.now() + Math.min(60_000, 500 * 2 ** d.attempt), attempt: d.attempt + 1 });
      logger.debug('receipts not delivered, will retry', { url, reason: (error as Error).message });
    } finally {
      this.inFlight -= items.length;
    }
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
