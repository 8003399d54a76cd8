import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

// Journeys: customers enter one by one and go through steps on their own clock; each step acts once.
describe('journeys', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const tool = (name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token: marketer.token, body });
  const order = (customerId: number, id: string, at = new Date()) => crm.db.sql.query(
    `insert into orders (external_id, customer_id, placed_at, status, total) values ($1, $2, $3, 'completed', 500)`, [id, customerId, at]);
  const entries = (automationId: number) => crm.db.sql.rows<{ customer_id: number; step: number; state: string; reason: string | null }>(
    `select customer_id, step, state, reason from journey_entries where automation_id = $1 order by customer_id`, [automationId]);
  const start = async (name: string, journey: unknown, caps = { maxPerRun: 100, maxPerDay: 100 }) => {
    const planned = await tool('plan_automation', { name, journey, ...caps });
    expect(planned.status).toBe(200);
    const approved = await tool('approve_automation', { approvalId: planned.body.approval.id });
    expect(approved.body).toMatchObject({ status: 'active', nextRunAt: null });
    return planned.body as { automationId: number; schedule: string };
  };
  // Time passes for waiting entries: their wait ends now.
  const waitEnds = (automationId: number) => crm.db.sql.query(`update journey_entries set due_at = now() - interval '1 second' where automation_id = $1 and state = 'active'`, [automationId]);

  beforeAll(async () => {
    crm = await startTestCrm({ OUTCOMES_SECONDS: '1', VENDOR_FAILURE_RATE: '0', VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20' });
    marketer = await crm.person('marketer');
  });
  afterAll(() => crm.stop());

  it('refuses loops, waits over a year, journeys that send nothing, and a journey mixed with a schedule', async () => {
    const base = { name: 'Bad', maxPerRun: 10, maxPerDay: 10 };
    const send = { send: { channel: 'email', subject: 'Hi', template: 'Hi' } };
    const cases: [unknown, RegExp][] = [
      [{ entry: { event: 'first_order' }, steps: [send, { branch: { if: 'clicked', then: 1, else: 3 } }, send] }, /may only go forward \(a journey cannot loop\)/],
      [{ entry: { event: 'first_order' }, steps: [send, { wait: { days: 400 } }, send] }, /a wait can be at most a year/],
      [{ entry: { event: 'first_order' }, steps: [{ wait: { days: 1 } }] }, /needs at least one send step/],
      [{ entry: { event: 'first_order' }, steps: [send, { branch: { if: 'clicked', then: 3, else: 9 } }, send] }, /goes to step 9, but there are only 3/],
      [{ entry: { event: 'first_order' }, steps: [{ send: { channel: 'email', subject: 'Hi', template: 'Hi {{no_such_field}}' } }] }, /no_such_field/],
      [{ entry: { event: 'first_order' }, steps: [{ branch: { if: { segment: { field: 'shoe_size', op: '>', value: 3 } }, then: 2, else: 3 } }, send, send] }, /shoe_size/],
    ];
    for (const [journey, message] of cases) {
      const res = await tool('plan_automation', { ...base, journey });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    const mixed = await tool('plan_automation', { ...base, journey: cases[0][0], schedule: { every: 'day', at: '10:00' } });
    expect(mixed.body.message).toMatch(/give a campaign and a schedule \(a recurring campaign\), or a journey/);
  });

  it('after a first order: a thank-you, then a week later a tip, unless they ordered again — each step once', async () => {
    const [asha, ravi, old] = await addCustomers(crm, [
      { name: 'Asha Rao', email: 'asha@example.com', city: 'Journeypur' }, { name: 'Ravi Iyer', email: 'ravi@example.com', city: 'Journeypur' }, { name: 'Old Hand', email: 'old@example.com', city: 'Journeypur' },
    ]);
    await order(old, 'J-OLD-1', new Date(Date.now() - 30 * 86_400_000)); // a customer before the journey: never a first order again
    const { automationId, schedule } = await start('First order', {
      entry: { event: 'first_order' },
      steps: [
        { send: { channel: 'email', subject: 'Thank you, {{first_name | "friend"}}', template: 'Thanks for your first order!' } },
        { wait: { days: 7 } },
        { branch: { if: 'ordered_since_entry', then: 5, else: 4 } },
        { send: { channel: 'email', subject: 'A tip', template: 'Here is how to care for it.' } },
        { exit: {} },
      ],
      exitOnConversion: false,
    });
    expect(schedule).toMatch(/^Customers enter when they place their first order, once each; then 1\. send an email "Thank you.*"; 2\. wait 7 days; 3\. if ordered since entry, go to 5, else to 4/);
    await order(asha, 'J-A-1');
    await order(ravi, 'J-R-1');
    await order(old, 'J-OLD-2');
    await until('both to be thanked and waiting', async () => { const e = await entries(automationId); return e.length === 2 && e.every((x) => x.step === 2) && e; });
    const thanks = await crm.db.sql.rows(`select l.customer_id, l.subject from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1 order by l.customer_id`, [automationId]);
    expect(thanks).toEqual([{ customer_id: asha, subject: 'Thank you, Asha' }, { customer_id: ravi, subject: 'Thank you, Ravi' }]);
    // Ravi orders again within the week (a second order is no first order: he does not enter again); Asha does not.
    await order(ravi, 'J-R-2');
    await waitEnds(automationId);
    await until('both to finish', async () => { const e = await entries(automationId); return e.every((x) => x.state !== 'active') && e; });
    const tips = await crm.db.sql.rows(`select l.customer_id from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1 and l.subject = 'A tip'`, [automationId]);
    expect(tips).toEqual([{ customer_id: asha }]);
    expect(await entries(automationId)).toHaveLength(2);
    const listed = (await tool('list_automations', {})).body.automations.find((a: { automationId: number }) => a.automationId === automationId);
    expect(listed).toMatchObject({ kind: 'journey', status: 'active', sent: 3 });
    expect(listed.steps[0]).toMatchObject({ step: 1, entered: 2, sent: 2 });
    expect(listed.steps.find((s: { step: number }) => s.step === 4)).toMatchObject({ entered: 1, sent: 1 });
    // The thank-you campaign completes, with its report like any campaign.
    const [{ id: thankYou }] = await crm.db.sql.rows(`select id from campaigns where automation_id = $1 and journey_step = 0`, [automationId]);
    await waitForCampaign(crm, marketer.token, thankYou);
  });

  it('enters customers who come to match a segment (not those matching at the start), and sends nobody who unsubscribed', async () => {
    const [already, later, leaving] = await addCustomers(crm, [
      { name: 'Already Big', email: 'big@example.com', city: 'Segpur', spend: 9000 }, { name: 'Later Big', email: 'later@example.com', city: 'Segpur', spend: 100 },
      { name: 'Leaving Big', email: 'leaving@example.com', city: 'Segpur', spend: 100 },
    ]);
    const { automationId } = await start('Became VIP', {
      entry: { segment: { all: [{ field: 'city', op: 'equals', value: 'Segpur' }, { field: 'total_spend', op: '>', value: 5000 }] } },
      steps: [{ wait: { hours: 1 } }, { send: { channel: 'email', subject: 'Welcome to VIP', template: 'You are a VIP now' } }],
    });
    // Two more come to spend over 5,000 (the customers' figures change, which marks them); one of them unsubscribes while waiting.
    await crm.db.sql.query(`update customers set total_spend = 6000 where id = any($1)`, [[later, leaving]]);
    // Both enter and start their hour's wait (the wait is taken before the test moves it).
    await until('both to enter and wait', async () => { const e = await entries(automationId); return e.length === 2 && e.every((x) => x.step === 1) && e; });
    expect((await entries(automationId)).map((e) => e.customer_id)).toEqual([later, leaving]);
    await crm.db.sql.query(`update customers set unsubscribed_at = now() where id = $1`, [leaving]);
    await waitEnds(automationId);
    await until('both to finish', async () => (await entries(automationId)).every((e) => e.state === 'done'));
    const sent = await crm.db.sql.rows(`select l.customer_id from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1`, [automationId]);
    expect(sent).toEqual([{ customer_id: later }]);
    const outcome = await crm.db.sql.rows(`select d.outcome from journey_steps_done d join journey_entries e on e.id = d.entry_id where e.customer_id = $1 and d.step = 1`, [leaving]);
    expect(outcome).toEqual([{ outcome: 'skipped: unsubscribed' }]);
    expect((await entries(automationId)).some((e) => e.customer_id === already)).toBe(false);
  });

  it('lets a customer in again only as its re-entry policy says, with each time its own messages', async () => {
    const [kim] = await addCustomers(crm, [{ name: 'Kim Again', email: 'kim@example.com', city: 'Againpur' }]);
    const { automationId, schedule } = await start('Every order', {
      entry: { event: 'any_order' }, steps: [{ send: { channel: 'email', subject: 'Thanks again', template: 'Thank you' } }], exitOnConversion: false, reentry: { afterDays: 1 },
    });
    expect(schedule).toMatch(/^Customers enter whenever they place an order, again 1 day after their last entry at the soonest;/);
    await order(kim, 'AG-1');
    await until('the first time through', async () => (await entries(automationId)).some((e) => e.state === 'done'));
    // An order the same day: too soon to enter again.
    await order(kim, 'AG-2');
    await new Promise((r) => setTimeout(r, 2000));
    expect(await entries(automationId)).toHaveLength(1);
    // Two days later (the first entry moved back), another order lets her in again.
    await crm.db.sql.query(`update journey_entries set entered_at = entered_at - interval '2 days' where automation_id = $1`, [automationId]);
    await order(kim, 'AG-3');
    await until('the second time through', async () => (await entries(automationId)).filter((e) => e.state === 'done').length === 2);
    const messages = await crm.db.sql.rows(`select k.name from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1 order by l.id`, [automationId]);
    expect(messages).toEqual([{ name: 'Every order · step 1' }, { name: 'Every order · step 1 (time 2)' }]);
  });

  it('keeps a control group that goes through the steps but is sent nothing, and reports the lift against it', async () => {
    const ids = await addCustomers(crm, Array.from({ length: 40 }, (_, i) => ({ name: `Held ${i}`, email: `held${i}@example.com`, city: 'Holdpur' })));
    const { automationId } = await start('Held journey', {
      entry: { event: 'any_order' }, steps: [{ send: { channel: 'email', subject: 'Hello', template: 'Hello' } }], exitOnConversion: false, holdoutPercent: 50,
    });
    for (const [i, id] of ids.entries()) await order(id, `HJ-${i}`);
    await until('everyone through', async () => (await entries(automationId)).filter((e) => e.state === 'done').length === 40);
    // Only they entered: customers who ordered before the journey started did not.
    expect(await entries(automationId)).toHaveLength(40);
    const held = new Set((await crm.db.sql.rows<{ customer_id: number }>(`select customer_id from journey_entries where automation_id = $1 and held`, [automationId])).map((r) => r.customer_id));
    expect(held.size).toBeGreaterThan(5);
    expect(held.size).toBeLessThan(35);
    const messaged = new Set((await crm.db.sql.rows<{ customer_id: number }>(`select l.customer_id from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1`, [automationId])).map((r) => r.customer_id));
    expect([...messaged].some((id) => held.has(id))).toBe(false);
    expect(messaged.size).toBe(40 - held.size);
    // Every third customer orders again after entering.
    const again = ids.filter((_, i) => i % 3 === 0);
    for (const id of again) await order(id, `HJ-again-${id}`, new Date(Date.now() + 60_000));
    const report = await tool('get_automation_report', { automationId });
    const converted = (group: Set<number> | null) => again.filter((id) => (group ? group.has(id) : !held.has(id))).length;
    expect(report.body).toMatchObject({
      runs: [],
      sent: { customers: 40 - held.size, converted: converted(null), orders: converted(null), revenue: converted(null) * 500 },
      holdout: { customers: held.size, converted: converted(held), orders: converted(held), revenue: converted(held) * 500 },
    });
    // No true lift here (orders were placed regardless of the message): nothing significant.
    expect(report.body.lift).toMatchObject({ significant: false, verdict: expect.stringMatching(/^(Not significant yet|Too few orders to tell yet)/) });
  });

  it('stays within its caps message by message, stops at the cap of a day, and takes no history an import brings in', async () => {
    // The journeys of the tests before also listen for orders; paused, their messages cannot use up the frequency cap here.
    for (const a of (await tool('list_automations', {})).body.automations) if (a.status === 'active') await tool('pause_automation', { automationId: a.automationId });
    const ids = await addCustomers(crm, Array.from({ length: 3 }, (_, i) => ({ name: `Capped ${i}`, email: `capped${i}@example.com`, city: 'Cappur' })));
    const { automationId } = await start('Two at once', {
      entry: { event: 'first_order' }, steps: [{ send: { channel: 'email', subject: 'One', template: 'One' } }, { send: { channel: 'email', subject: 'Two', template: 'Two' } }], exitOnConversion: false,
    }, { maxPerRun: 3, maxPerDay: 3 });
    // An order from last year, imported now, is history: nobody enters for it.
    await order(ids[0], 'CAP-OLD', new Date(Date.now() - 365 * 86_400_000));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await entries(automationId)).toEqual([]);
    for (const [i, id] of ids.entries()) await order(id, `CAP-${i}`);
    await until('the journey to stop at its cap', async () => (await crm.db.sql.rows(`select status from automations where id = $1`, [automationId]))[0].status === 'paused');
    const sent = await crm.db.sql.rows(`select count(*)::int as n from communication_logs l join campaigns k on k.id = l.campaign_id where k.automation_id = $1`, [automationId]);
    expect(sent[0].n).toBe(3);
    expect((await crm.db.sql.rows(`select status_reason from automations where id = $1`, [automationId]))[0].status_reason).toMatch(/^stopped: it reached its cap of 3 messages a day/);
  });
});
