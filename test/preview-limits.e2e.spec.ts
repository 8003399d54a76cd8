import pg from 'pg';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const contains = (text: string) => ({ bought: { contains: text } });

/** Holds an exclusive lock on customers, so that any count of them waits: a stand-in for a count that runs long. */
async function blockCustomers(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query('lock table customers in access exclusive mode');
  return async () => { await client.query('rollback'); await client.end(); };
}

// An analyst's preview must never tie up PostgreSQL: it is cancelled at its time limit, when its caller goes
// away, and refused before it runs when the planner says it would cost too much.
describe('segment previews under limits', () => {
  let crm: TestCrm;
  let analyst: { token: string };
  const preview = (rules: unknown, signal?: AbortSignal) =>
    fetch(`${crm.url}/api/segments/preview`, { method: 'POST', signal, headers: { authorization: `Bearer ${analyst.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ rules }) });

  beforeAll(async () => {
    crm = await startTestCrm({ RUN_WORKERS: 'false', PREVIEW_TIMEOUT_SECONDS: '4' }, undefined, () => new Date('2026-11-20T12:00:00Z'));
    await seedDemoData(crm.db.sql, { seed: 5, customers: 400, endDate: new Date('2026-11-20T00:00:00Z') });
    analyst = await crm.person('analyst');
  });
  afterAll(() => crm.stop());

  it('"bought … contains" finds the same customers as reading every line, with % and _ taken as letters', async () => {
    await crm.db.sql.query(`
      with c as (insert into customers (external_id) values ('pct'), ('plain'), ('under'), ('any') returning id, external_id),
           o as (insert into orders (external_id, customer_id, placed_at, total) select 'O-' || external_id, id, '2026-10-01', 10 from c returning id, external_id)
      insert into order_lines (order_id, position, description, quantity, unit_price)
      select id, 1, case external_id when 'O-pct' then 'Save 50% Mug' when 'O-plain' then 'Save 50 Mug' when 'O-under' then 'snake_case Lamp' else 'snakeXcase Lamp' end, 1, 10 from o`);
    const reference = async (text: string) => (await crm.db.sql.rows(
      `select count(distinct o.customer_id)::int as n from orders o join order_lines l on l.order_id = o.id
       where o.status in ('pending', 'completed') and strpos(lower(l.description), lower($1)) > 0`, [text]))[0].n;
    for (const text of ['50%', 'e_c', 'MUG', 'lamp', 'heart', 'zzz-nothing']) {
      const res = await preview(contains(text));
      expect(res.status).toBe(200);
      expect({ text, count: (await res.json()).count }).toEqual({ text, count: await reference(text) });
    }
    expect((await (await preview(contains('50%'))).json()).count).toBe(1);
  });

  it('a count that runs past PREVIEW_TIMEOUT_SECONDS is stopped and the person told why', async () => {
    const release = await blockCustomers(crm.db.url);
    try {
      const started = Date.now();
      const res = await preview({ field: 'city', op: 'equals', value: 'Pune' });
      expect(res.status).toBe(422);
      expect((await res.json()).message).toMatch(/took longer than 4 s .*Narrow the rule/);
      expect(Date.now() - started).toBeLessThan(7000);
    } finally {
      await release();
    }
  });

  it('a count whose caller goes away is cancelled in the database at once', async () => {
    const release = await blockCustomers(crm.db.url);
    const waiting = () => crm.db.sql.rows(`select pid from pg_stat_activity where datname = current_database() and state = 'active' and pid <> pg_backend_pid() and query like '%count(*)%customers c%'`);
    try {
      const gone = new AbortController();
      const request = preview({ field: 'city', op: 'equals', value: 'Mumbai' }, gone.signal).catch(() => null);
      for (let i = 0; i < 50 && !(await waiting()).length; i++) await wait(50);
      expect((await waiting()).length).toBe(1);
      gone.abort();
      await request;
      let left = 1;
      for (let i = 0; i < 30 && left; i++, await wait(50)) left = (await waiting()).length;
      // Well before the four-second limit: the cancel came from the caller leaving.
      expect(left).toBe(0);
    } finally {
      await release();
    }
  });

  it('a rule with a hundred "bought … contains" conditions is refused with a sentence before anything runs', async () => {
    const words = ['mug', 'lamp', 'heart', 'bag', 'set', 'box', 'card', 'tin', 'cake', 'light'];
    // "mug", "lamp" … then "muga", "lampb" …: a hundred different words, as the red-team sent.
    const rules = { any: Array.from({ length: 100 }, (_, i) => contains(words[i % 10] + (i < 10 ? '' : String.fromCharCode(97 + (i % 26))))) };
    const res = await preview(rules);
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('at most 10 bought, ordered, received or delivery-failed conditions');
    // Ten are fine, and answered within the limit.
    const ten = await preview({ any: rules.any.slice(0, 10) });
    expect(ten.status).toBe(200);
  });
});

describe('a preview the planner says is too costly', () => {
  let crm: TestCrm;
  beforeAll(async () => {
    crm = await startTestCrm({ RUN_WORKERS: 'false', PREVIEW_MAX_COST: '5' });
    await seedDemoData(crm.db.sql, { seed: 6, customers: 300, endDate: new Date('2026-11-20T00:00:00Z') });
  });
  afterAll(() => crm.stop());

  it('is refused before it runs, with a sentence saying what to do', async () => {
    const analyst = await crm.person('analyst');
    const res = await call(`${crm.url}/api/segments/preview`, { token: analyst.token, body: { rules: contains('lamp') } });
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/would take too long to count .*PREVIEW_MAX_COST.*Narrow it/);
  });
});
