import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { CrmError } from '../crm/errors.js';
import type { Actor } from './actor.js';
import { authorize } from './authorize.js';
import { Sql } from '../db/sql.js';

/**
 * How patient the CRM is with one key: `free` wrong attempts cost nothing, each further one doubles the wait
 * (1 s, 2 s, 4 s … at most a minute), and `lockAt` of them within the window lock it for `lockMinutes`.
 */
interface Policy { free: number; lockAt: number; lockMinutes: number; windowMinutes: number }

// An account is guessed at from anywhere; an address may be an office behind one router, so it gets more room.
const policies = {
  account: { free: 3, lockAt: 10, lockMinutes: 15, windowMinutes: 15 },
  address: { free: 20, lockAt: 100, lockMinutes: 15, windowMinutes: 15 },
} satisfies Record<string, Policy>;

export type ThrottleKind = keyof typeof policies;
export interface ThrottleKey { kind: ThrottleKind; id: string }

export const accountKey = (email: string): ThrottleKey => ({ kind: 'account', id: `account:${email.trim().toLowerCase()}` });
/** `what` keeps sign-in and bearer-token guesses from one address in separate counts. */
export const addressKey = (address: string | undefined, what: 'sign-in' | 'token' | 'oauth'): ThrottleKey => ({ kind: 'address', id: `${what}:${address ?? 'unknown'}` });

/** Seconds to wait after the n-th wrong attempt in a row. */
export function waitAfter(failures: number, policy: Policy): number {
  if (failures >= policy.lockAt) return policy.lockMinutes * 60;
  if (failures <= policy.free) return 0;
  return Math.min(2 ** (failures - policy.free - 1), 60);
}

export class TooManyAttempts extends CrmError {
  readonly kind = 'too_many';
  constructor(readonly until: Date, now: Date, locked: boolean) {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    const wait = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? '' : 's'}`;
    super(locked
      ? `Too many wrong attempts: signing in here is locked for ${wait} (until ${until.toISOString().slice(11, 16)} UTC). An admin can unlock the account sooner.`
      : `Too many wrong attempts in a row: try again in ${wait}.`);
  }
  get retryAfterSeconds() {
    return Math.max(1, Math.ceil((this.until.getTime() - Date.now()) / 1000));
  }
  override details() {
    return { retryAt: this.until.toISOString(), retryAfterSeconds: this.retryAfterSeconds };
  }
}

/**
 * Throttles guesses at passwords and tokens. An attempt is counted before its password is checked, so a flood of
 * parallel guesses is refused at once, without the costly hash, from the first that crosses the line; a success
 * takes its own count back. The counts live in PostgreSQL, shared by every server process.
 */
@Injectable()
export class SignInThrottle {
  constructor(private readonly sql: Sql, private readonly audit: AuditService) {}

  /** Throws TooManyAttempts while any key must wait; counts nothing (a token is checked only when this passes). */
  async check(keys: ThrottleKey[], now = new Date()): Promise<void> {
    const ids = [...new Set(keys.map((k) => k.id))];
    this.refuseIfBlocked(keys, await this.sql.rows(`select key, failures, blocked_until as "blockedUntil" from sign_in_throttles where key = any($1) and blocked_until > $2`, [ids, now]), now);
  }

  /** Counts an attempt on every key, or throws TooManyAttempts (counting nothing) while any of them must wait. */
  async attempt(keys: ThrottleKey[], now = new Date()): Promise<void> {
    // A flood is mostly refused here, by a plain read that waits for no lock and holds no connection for long.
    await this.check(keys, now);
    const ids = [...new Set(keys.map((k) => k.id))].sort(); // one order for every process, so locks never cross
    await this.sql.transaction(async (client) => {
      await client.query(`insert into sign_in_throttles (key, failures, last_failure_at) select unnest($1::text[]), 0, $2 on conflict do nothing`, [ids, now]);
      const rows = (await client.query<{ key: string; failures: number; lastFailureAt: Date; blockedUntil: Date | null }>(
        `select key, failures, last_failure_at as "lastFailureAt", blocked_until as "blockedUntil" from sign_in_throttles where key = any($1) order by key for update`,
        [ids],
      )).rows;
      this.refuseIfBlocked(keys, rows, now);
      for (const row of rows) {
        const policy = policies[keys.find((k) => k.id === row.key)!.kind];
        const fresh = now.getTime() - row.lastFailureAt.getTime() > policy.windowMinutes * 60_000;
        const failures = (fresh ? 0 : row.failures) + 1;
        const wait = waitAfter(failures, policy);
        await client.query(`update sign_in_throttles set failures = $2, last_failure_at = $3, blocked_until = $4 where key = $1`,
          [row.key, failures, now, wait ? new Date(now.getTime() + wait * 1000) : null]);
      }
    });
  }

  private refuseIfBlocked(keys: ThrottleKey[], rows: { key: string; failures: number; blockedUntil: Date | null }[], now: Date) {
    const blocked = rows.filter((r) => r.blockedUntil && r.blockedUntil > now).sort((a, b) => b.blockedUntil!.getTime() - a.blockedUntil!.getTime())[0];
    if (!blocked) return;
    const policy = policies[keys.find((k) => k.id === blocked.key)!.kind];
    throw new TooManyAttempts(blocked.blockedUntil!, now, blocked.failures >= policy.lockAt);
  }

  /** The attempt was right: the account starts afresh, and the address gets back the one attempt it was charged. */
  async succeeded(keys: ThrottleKey[]): Promise<void> {
    const accounts = keys.filter((k) => k.kind === 'account').map((k) => k.id);
    const addresses = keys.filter((k) => k.kind === 'address').map((k) => k.id);
    await this.sql.query(`delete from sign_in_throttles where key = any($1)`, [accounts]);
    await this.sql.query(`update sign_in_throttles set failures = greatest(failures - 1, 0) where key = any($1)`, [addresses]);
  }

  /** An admin lifts an account's lock (the addresses it was guessed from stay throttled). */
  async unlock(actor: Actor, email: string): Promise<{ wasLocked: boolean }> {
    authorize(actor, 'users.manage');
    const { rowCount } = await this.sql.query(`delete from sign_in_throttles where key = $1 and blocked_until > now()`, [accountKey(email).id]);
    await this.sql.query(`delete from sign_in_throttles where key = $1`, [accountKey(email).id]);
    await this.audit.record(actor, 'user.unlock', email, { wasLocked: (rowCount ?? 0) > 0 });
    return { wasLocked: (rowCount ?? 0) > 0 };
  }
}
