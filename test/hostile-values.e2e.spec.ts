import { call, importFinished as finished, startTestCrm, type TestCrm } from './support/test-crm.js';

// Values that used to answer 500 and drop a whole batch, good records included: each is now refused on its own,
// with its field named, and the rest is kept.
describe('hostile values', () => {
  let crm: TestCrm;
  let marketer: Awaited<ReturnType<TestCrm['person']>>;
  beforeAll(async () => {
    crm = await startTestCrm();
    marketer = await crm.person('marketer');
  });
  afterAll(() => crm.stop());

  it('NUL characters and broken surrogates are refused per record, naming the field; the good records are kept', async () => {
    const res = await call(`${crm.url}/api/customers`, { token: marketer.token, body: [
      { externalId: 'good-1', name: 'Asha 😀' },
      { externalId: 'nul', name: 'Ra\u0000vi' },
      { externalId: 'surrogate', city: 'Pu\uD800ne' },
      { externalId: 'good-2', city: 'Pune' },
    ] });
    expect(res.status).toBe(202);
    const report = await finished(crm, marketer.token, res.body.importId);
    expect(report).toMatchObject({ status: 'succeeded', received: 4, inserted: 2, rejected: 2 });
    expect(report.rejections).toEqual([
      { position: 1, field: 'name', reason: expect.stringContaining('NUL character') },
      { position: 2, field: 'city', reason: expect.stringContaining('unpaired UTF-16 surrogate') },
    ]);
    expect(await crm.db.sql.rows(`select external_id, name from customers where external_id like 'good-%' order by 1`)).toEqual([
      { external_id: 'good-1', name: 'Asha 😀' }, { external_id: 'good-2', name: null },
    ]);
    // Outside batches the same rule answers 400 with the place: a segment name, a tool argument, a chat message.
    const segment = await call(`${crm.url}/api/segments`, { token: marketer.token, body: { name: 'Bad\u0000name', rules: { field: 'city', op: 'equals', value: 'Pune' } } });
    expect(segment).toMatchObject({ status: 400, body: { problems: [{ path: 'name', message: expect.stringContaining('NUL') }] } });
    const tool = await call(`${crm.url}/api/tools/search_customers`, { token: marketer.token, body: { query: 'x\uDC00' } });
    expect(tool.status).toBe(400);
  });

  it('a record repeated in one batch is counted once per copy, so the counts add up to what was received', async () => {
    const res = await call(`${crm.url}/api/customers`, { token: marketer.token, body: [{ externalId: 'twice', name: 'One' }, { externalId: 'twice', name: 'Two' }, { externalId: 'once' }] });
    const report = await finished(crm, marketer.token, res.body.importId);
    expect(report).toMatchObject({ received: 3, inserted: 2, updated: 0, unchanged: 1, rejected: 0 });
    expect(report.inserted + report.updated + report.unchanged + report.rejected + report.skipped).toBe(report.received);
    expect(await crm.db.sql.rows(`select name from customers where external_id = 'twice'`)).toEqual([{ name: 'Two' }]);
  });

  it('names every object has ("constructor", "__proto__") are not fields or placeholders', async () => {
    for (const field of ['constructor', '__proto__', 'toString']) {
      const res = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: { field, op: 'equals', value: 'x' } } });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
    }
    const op = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: { field: 'city', op: 'constructor', value: 'x' } } });
    expect(op.status).toBe(400);
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Proto', rules: { field: 'city', op: 'equals', value: 'Pune' }, channel: 'email', template: 'Hi {{constructor}}' } });
    expect(plan).toMatchObject({ status: 400, body: { error: 'bad_template' } });
  });

  it('30 February is refused, in orders and in rules; an order worth more than ever fits stays exact', async () => {
    const res = await call(`${crm.url}/api/orders`, { token: marketer.token, body: [
      { externalId: 'feb-30', customerExternalId: 'dated', placedAt: '2026-02-30T10:00:00Z', total: '10' },
      { externalId: 'huge', customerExternalId: 'whale', placedAt: '2026-03-01T10:00:00Z', lines: [{ sku: 'YACHT', quantity: 1_000_000, unitPrice: '999999999999999.999' }] },
    ] });
    const report = await finished(crm, marketer.token, res.body.importId);
    expect(report).toMatchObject({ status: 'succeeded', inserted: 1, rejected: 1 });
    expect(report.rejections).toEqual([{ position: 0, field: 'placedAt', reason: 'must be a real date such as 2026-03-01T10:30:00Z' }]);
    expect(await crm.db.sql.rows(`select total_spend from customers where external_id = 'whale'`)).toEqual([{ total_spend: '999999999999999999000.000' }]);
    const rule = await call(`${crm.url}/api/segments/preview`, { token: marketer.token, body: { rules: { field: 'first_order_date', op: 'before', value: '2026-02-30' } } });
    expect(rule.status).toBe(400);
    expect(JSON.stringify(rule.body.problems)).toContain('not a real date');
  });

  it('an import report is its sender\'s and the admins\', not every reader\'s', async () => {
    const res = await call(`${crm.url}/api/customers`, { token: marketer.token, body: { externalId: 'private' } });
    await finished(crm, marketer.token, res.body.importId);
    const other = await crm.person('marketer');
    const admin = await crm.person('admin');
    expect((await call(`${crm.url}/api/imports/${res.body.importId}`, { token: other.token })).status).toBe(404);
    expect((await call(`${crm.url}/api/imports/${res.body.importId}`, { token: admin.token })).status).toBe(200);
  });

  it('every answer forbids framing and inline scripts', async () => {
    for (const path of ['/', '/api/auth/options', '/healthz']) {
      const res = await fetch(`${crm.url}${path}`);
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });
});
