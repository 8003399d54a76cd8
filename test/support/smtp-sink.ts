import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

/** How the mailbox answers one recipient: accept, "try later" a number of times first, refuse, or hang up mid-message. */
export type RecipientRule = { tryLater: number } | { refuse: string } | { hangUpInData: true };

export interface ReceivedMail { to: string; from: string; raw: Buffer; parsed: ParsedMail; at: number }

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/**
 * A real SMTP server on loopback (the smtp-server package) standing in for a customer's mailbox provider: it keeps
 * every accepted message parsed with mailparser, and follows per-recipient rules so tests can see how the CRM
 * handles 4xx, 5xx and a connection cut during DATA. It can also demand a login, and be stopped and started again
 * on the same port, as a relay that goes down.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  readonly rules = new Map<string, RecipientRule>();
  private readonly tries = new Map<string, number>();
  private server?: SMTPServer;
  private readonly sockets = new Set<Socket>();
  port = 0;
  /** How long the mailbox takes to answer each message (a slow provider keeps messages in flight). */
  delayMs = 0;
  /** Senders the relay will not send for (MAIL FROM refused), as a relay does for an unverified address. */
  readonly refusedSenders = new Set<string>();

  constructor(private readonly login?: { user: string; pass: string }) {}

  async start(port = 0) {
    const server = new SMTPServer({
      secure: false, disabledCommands: this.login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'], allowInsecureAuth: true, authOptional: !this.login,
      logger: false, size: 10_000_000,
      onAuth: (auth, _session, done) => {
        if (auth.username === this.login?.user && auth.password === this.login?.pass) done(null, { user: auth.username });
        else done(smtpError(535, '5.7.8 Authentication credentials invalid'));
      },
      onMailFrom: (address, _session, done) => {
        if (this.refusedSenders.has(address.address)) return done(smtpError(553, `5.7.1 Sender address rejected: ${address.address} is not a verified identity`));
        done();
      },
      onRcptTo: (address, _session, done) => {
        const rule = this.rules.get(address.address);
        if (rule && 'refuse' in rule) return done(smtpError(550, rule.refuse));
        if (rule && 'tryLater' in rule) {
          const n = (this.tries.get(address.address) ?? 0) + 1;
          this.tries.set(address.address, n);
          if (n <= rule.tryLater) return done(smtpError(450, '4.2.1 Mailbox busy, try again later'));
        }
        done();
      },
      onData: (stream, session: SMTPServerSession, done) => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        if (to.some((a) => { const rule = this.rules.get(a); return rule && 'hangUpInData' in rule; })) {
          // Read the message, then drop the connection instead of answering: the client cannot know if it arrived.
          stream.on('data', () => {});
          stream.on('end', () => { for (const s of this.sockets) if (s.remotePort === session.remotePort) s.destroy(); });
          return;
        }
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const raw = Buffer.concat(chunks);
          const parsed = await simpleParser(raw);
          if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
          for (const address of to) this.received.push({ to: address, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', raw, parsed, at: Date.now() });
          done(null, `2.0.0 Ok: queued as ${this.received.length}`);
        });
      },
    });
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    // A client killed mid-message resets its connection; that is the client's business, not a failure of the mailbox.
    server.on('error', () => {});
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops answering: open connections are cut, as when a relay goes down. */
  async stop() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  to(address: string) {
    return this.received.filter((m) => m.to === address);
  }
}
