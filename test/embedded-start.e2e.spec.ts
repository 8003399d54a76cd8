import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../src/db/free-port.js';
import { projectRoot } from '../src/project-root.js';
import { runCrm } from './support/crm-process.js';
import { call } from './support/test-crm.js';

const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

// `npm start` with nothing configured: embedded PostgreSQL under DATA_DIR, demo data on the first start,
// data kept on the next, and a clean recovery from a killed process.
describe('the embedded database', () => {
  const dataDir = join(projectRoot(), '.data', `test-embedded-${process.pid}`);
  let port: number;
  const env = () => ({ DATA_DIR: dataDir, PORT: String(port), DEMO_CUSTOMERS: '300', ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'a-long-admin-password' });
  const customers = async (url: string, token: string) => (await call(`${url}/api/auth/me`, { token })).status;

  beforeAll(async () => { port = await freePort(); await rm(dataDir, { recursive: true, force: true }); });
  afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

  it('starts, seeds once, keeps the data across restarts, and recovers from a killed process', async () => {
    const first = runCrm(env());
    const url = await first.ready;
    expect(first.output()).toContain('Demo data loaded: 300 customers');
    expect(first.output()).toContain('Sign in as owner@example.com with ADMIN_PASSWORD');
    expect(await call(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });

    // The CLI beside a running server joins its database; the token it makes works over HTTP until revoked.
    const made = runCrm({ DATA_DIR: dataDir }, 'dist/src/cli/main.js', ['token', 'create', '--role', 'analyst']);
    expect(await made.exited).toBe(0);
    const token = /crm_[A-Za-z0-9_-]{43}/.exec(made.output())![0];
    expect(await customers(url, token)).toBe(200);
    const revoked = runCrm({ DATA_DIR: dataDir }, 'dist/src/cli/main.js', ['token', 'revoke', token.slice(0, 10)]);
    expect(await revoked.exited).toBe(0);
    expect(await customers(url, token)).toBe(401);

    const postgresPid = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(await first.stop('SIGINT')).toBe(0);
    expect(alive(postgresPid)).toBe(false);
    // A clean stop says nothing alarming: no unhandled error from connections PostgreSQL closed on its way out.
    expect(first.output()).not.toMatch(/Unhandled|terminating connection|\n\s+at /);

    const second = runCrm(env());
    await second.ready;
    expect(second.output()).not.toContain('Demo data loaded');
    expect(second.output()).not.toContain('Sign in as');
    // SIGKILL leaves PostgreSQL running and its pid file behind; the next start must cope.
    second.child.kill('SIGKILL');
    await second.exited;
    const orphan = Number((await readFile(join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(alive(orphan)).toBe(true);

    const third = runCrm(env());
    await third.ready;
    expect(alive(orphan)).toBe(false);
    expect(await third.stop('SIGTERM')).toBe(0);

    // A pid file from a PostgreSQL that is long gone (a crash, a reboot) is just removed.
    await writeFile(join(dataDir, 'pg', 'postmaster.pid'), '2147480000\n');
    const fourth = runCrm(env());
    await fourth.ready;
    expect(await fourth.stop('SIGINT')).toBe(0);
    expect(existsSync(join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  });
});
