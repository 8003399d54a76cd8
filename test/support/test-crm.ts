import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Actor } from '../../src/auth/actor.js';
import { scopesOfRole } from '../../src/auth/scopes.js';
import { TokensService } from '../../src/auth/tokens.service.js';
import { UsersService } from '../../src/auth/users.service.js';
import type { Role } from '../../src/auth/roles.js';
import type { Config } from '../../src/config/config.schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { logger } from '../../src/logging/logger.js';
import { freePort } from '../../src/db/free-port.js';
import { assembleCrm } from '../../src/app/assemble-crm.js';
import { listen } from '../../src/server.js';
import type { Clock } from '../../src/crm/time/clock.js';
import type { ChosenModel } from '../../src/agent/model-choice.js';
import type { VendorSimulator } from '../../src/vendor/vendor-simulator.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestCrm {
  url: string;
  db: TestDatabase;
  app: NestExpressApplication;
  config: Config;
  /** The in-process vendor simulator (unless VENDOR_URL was given). */
  vendor?: VendorSimulator;
  /** A user of the given role and an API token for them. */
  person(role: Role, email?: string): Promise<{ userId: number; email: string; token: string; password: string }>;
  stop(): Promise<void>;
}

const operator: Actor = { userId: null, email: 'test', role: 'admin', surface: 'system' };
let people = 0;

/** The real HTTP application on a loopback port, over a database of its own. */
export async function startTestCrm(env: Record<string, string> = {}, chosenPort?: number, clock?: Clock, model?: ChosenModel): Promise<TestCrm> {
  logger.setLevel('warn');
  const db = await createTestDatabase();
  // The port is chosen first so PUBLIC_URL (where sign-in providers send people back) is the real address.
  const port = chosenPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // No SMS quiet hours unless a test asks for them: otherwise texts would wait whenever the suite runs in the evening.
  // No control group unless a test asks for one, so that every eligible customer gets the message it checks.
  const config = loadConfig({ DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: url, JOB_SUPERVISE_SECONDS: '2', VENDOR_PORT: '0', SMS_QUIET_HOURS: '', HOLDOUT_PERCENT: '0', ...env });
  const crm = await assembleCrm(config, db, { http: true, workers: config.RUN_WORKERS, vendor: 'any', clock, model });
  const app = crm.app!;
  await listen(app, port, '127.0.0.1');
  return {
    url, db, app, config, vendor: crm.simulator,
    async person(role, email = `${role}-${++people}@example.com`) {
      const password = `password-${people}-long-enough`;
      const { user } = await app.get(UsersService).create(operator, { email, role, password });
      // A script its person trusts with everything the role allows, sends included (tests of scopes make their own).
      const { token } = await app.get(TokensService).create({ ...operator, role: 'admin' }, { userId: user.id, role, scopes: [...scopesOfRole(role)] });
      return { userId: user.id, email, token, password };
    },
    async stop() {
      await crm.stop();
      await db.drop();
    },
  };
}

/** fetch with a bearer token and a JSON body. */
export async function call(url: string, options: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(url, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let json: any = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, body: json, headers: res.headers };
}

/** Signs a person in as the web page does; the headers a page's requests then carry (its cookie and CSRF token). */
export async function signInOnTheWeb(url: string, email: string, password: string) {
  const res = await call(`${url}/api/auth/sign-in`, { body: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in as ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { cookie: res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': res.body.csrfToken as string };
}

/** Polls an import's report until it has finished, as a client of the API would. */
export async function importFinished(crm: TestCrm, token: string, importId: string) {
  for (let i = 0; i < 200; i++) {
    const res = await call(`${crm.url}/api/imports/${importId}`, { token });
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${importId} did not finish`);
}
