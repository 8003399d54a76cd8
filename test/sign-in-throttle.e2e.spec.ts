import { AuditService } from '../src/audit/audit.service.js';
import { accountKey, addressKey, SignInThrottle, TooManyAttempts, waitAfter } from '../src/auth/sign-in-throttle.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

// 500 wrong passwords used to be answered 401 each, with a costly hash each, and the right one still worked after.
describe('throttled sign-in', () => {
  let crm: TestCrm;
  let admin: Awaited<ReturnType<TestCrm['person']>>;
  let target: Awaited<ReturnType<TestCrm['person']>>;
  const signIn = (email: string, password: string) => call(`${crm.url}/api/auth/sign-in`, { body: { email, password } });

  beforeAll(async () => {
    crm = await startTestCrm();
    admin = await crm.person('admin');
    target = await crm.person('marketer');
  });
  afterAll(() => crm.stop());

  it('answers a flood of wrong passwords with waits instead of hashes, refuses even the right one meanwhile, and lets others in', async () => {
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    const told: string[] = [];
    const queue = Array.from({ length: 500 }, (_, i) => `wrong-password-${i}`);
    await Promise.all(Array.from({ length: 25 }, async () => {
      for (let guess = queue.pop(); guess; guess = queue.pop()) {
        const res = await signIn(target.email, guess);
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter.push(res.headers.get('retry-after'));
          told.push(res.body.message);
        }
      }
    }));
    const checked = statuses.filter((s) => s === 401).length;
    expect(statuses.filter((s) => s === 429)).toHaveLength(500 - checked);
    // Three free guesses, then waits of 1, 2, 4 … seconds: only a handful of passwords were ever checked.
    expect(checked).toBeGreaterThanOrEqual(3);
    expect(checked).toBeLessThanOrEqual(9);
    expect(retryAfter.every((v) => Number(v) >= 1)).toBe(true);
    expect(told.every((m) => /^Too many wrong attempts in a row: try again in \d+ seconds?\.$/.test(m))).toBe(true);

    // The waits are short this early; the account is held at its lock (as ten paced failures leave it) so the rest
    // does not depend on how fast this machine ran the flood.
    await crm.db.sql.query(`update sign_in_throttles set failures = 10, blocked_until = now() + interval '15 minutes' where key = $1`, [`account:${target.email}`]);
    const right = await signIn(target.email, target.password);
    expect(right.status).toBe(429);
    expect(right.body.message).toMatch(/^Too many wrong attempts: signing in here is locked for 15 minutes \(until \d\d:\d\d UTC\)\. An admin can unlock the account sooner\.$/);
    expect(right.body.retryAfterSeconds).toBeGreaterThan(800);

    // Someone else, from the same address, signs in at once.
    expect((await signIn(admin.email, admin.password)).status).toBe(200);

    // An admin lifts the wait; the right password works, and the account starts afresh.
    const unlocked = await call(`${crm.url}/api/users/${target.userId}/unlock`, { token: admin.token, method: 'POST' });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body).toEqual({ wasLocked: true });
    expect((await call(`${crm.url}/api/users/${target.userId}/unlock`, { token: target.token, method: 'POST' })).status).toBe(403);
    expect((await signIn(target.email, target.password)).status).toBe(200);
    expect((await signIn(target.email, 'wrong again')).status).toBe(401);
    const [audit] = await crm.db.sql.rows(`select actor, target from audit_events where action = 'user.unlock'`);
    expect(audit).toEqual({ actor: admin.email, target: target.email });
  });

  it('slows down an address that guesses API tokens', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await call(`${crm.url}/api/segments`, { token: `crm_${'x'.repeat(40)}${i}` })).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(21).every((s) => s === 429)).toBe(true);
    // While the address waits, a real token from it waits too: the answer tells a guesser nothing.
    const real = await call(`${crm.url}/api/segments`, { token: admin.token });
    expect(real.status).toBe(429);
    expect(Number(real.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it('locks an account after ten wrong attempts that each waited their turn, for fifteen minutes', async () => {
    const throttle = new SignInThrottle(crm.db.sql, new AuditService(crm.db.sql));
    const keys = [accountKey('Someone@Example.com'), addressKey('203.0.113.9', 'sign-in')];
    let now = new Date('2026-12-04T10:00:00Z');
    const policy = { free: 3, lockAt: 10, lockMinutes: 15, windowMinutes: 15 };
    for (let failures = 1; failures <= 10; failures++) {
      await throttle.attempt(keys, now);
      now = new Date(now.getTime() + waitAfter(failures, policy) * 1000);
    }
    // Ten wrong attempts: the lock, not a doubling wait. One minute in it is still locked, and says until when.
    const during = await throttle.attempt(keys, new Date(now.getTime() - 14 * 60_000)).catch((e: unknown) => e);
    expect(during).toBeInstanceOf(TooManyAttempts);
    expect((during as Error).message).toMatch(/^Too many wrong attempts: signing in here is locked for 14 minutes \(until \d\d:\d\d UTC\)\. An admin can unlock the account sooner\.$/);
    // The same address spelled another way is the same count; the lock ends by itself.
    await expect(throttle.attempt([accountKey(' someone@example.com ')], new Date(now.getTime() - 60_000))).rejects.toBeInstanceOf(TooManyAttempts);
    await expect(throttle.attempt(keys, new Date(now.getTime() + 1000))).resolves.toBeUndefined();
  });

  it('doubles the wait after the free attempts, never waits more than a minute before the lock', () => {
    const policy = { free: 3, lockAt: 10, lockMinutes: 15, windowMinutes: 15 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => waitAfter(n, policy))).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 900]);
    expect(waitAfter(11, { ...policy, lockAt: 20 })).toBe(60);
  });
});
