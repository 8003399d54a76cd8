import { call, importFinished, startTestCrm, type TestCrm } from './support/test-crm.js';

// What the Imports page asks of the API before and after an upload: how a header would be read, the latest imports,
// and the rejected lines as a CSV a spreadsheet opens safely.
describe('the API behind the Imports page', () => {
  let crm: TestCrm;
  let marketer: Awaited<ReturnType<TestCrm['person']>>;
  beforeAll(async () => {
    crm = await startTestCrm();
    marketer = await crm.person('marketer', 'importer@example.com');
  });
  afterAll(async () => { await crm.stop(); });

  it('reads a header as the importer would, with a mapping changed by the person, and refuses it to someone who may not import', async () => {
    const header = ['Customer', 'Invoice', 'Day', 'Qty', 'Each'];
    const plain = await call(`${crm.url}/api/imports/layout`, { token: marketer.token, body: { header } });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ layout: 'customers', missing: [], problem: null });
    expect(plain.body.columns).toEqual([
      { column: 'Customer', field: 'customerId' }, { column: 'Invoice', field: 'orderId' }, { column: 'Day', field: null },
      { column: 'Qty', field: 'quantity' }, { column: 'Each', field: null },
    ]);
    const mapped = await call(`${crm.url}/api/imports/layout`, { token: marketer.token, body: { header, map: { Each: 'unitPrice' } } });
    // Now a file of order lines, which also needs a date.
    expect(mapped.body).toMatchObject({ layout: 'order-lines', missing: ['date'] });
    const wrong = await call(`${crm.url}/api/imports/layout`, { token: marketer.token, body: { header, map: { Nothing: 'date' } } });
    expect(wrong.body.problem).toMatch(/the file has no column "Nothing"/);
    expect((await call(`${crm.url}/api/imports/layout`, { token: marketer.token, body: { header: [] } })).status).toBe(400);
    const analyst = await crm.person('analyst');
    expect((await call(`${crm.url}/api/imports/layout`, { token: analyst.token, body: { header } })).status).toBe(403);
  });

  it('gives the rejected lines as CSV, with cells a spreadsheet would run as formulas made text, to the importer and admins only', async () => {
    const csv = ['Customer,Invoice,Date,@Qty,Price', 'K-1,INV-1,2026-11-02,2,150', 'K-2,INV-2,2026-11-02,two,10', 'K-3,INV-3,tomorrow,1,10', 'K-4,INV-4,2026-11-02,1,1;=2'].join('\n');
    const form = new FormData();
    form.append('map', JSON.stringify({ '@Qty': 'quantity' }));
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'formulas.csv');
    const res = await fetch(`${crm.url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${marketer.token}` }, body: form });
    expect(res.status).toBe(202);
    const { importId } = await res.json();
    expect(await importFinished(crm, marketer.token, importId)).toMatchObject({ status: 'succeeded', received: 4, inserted: 1, rejected: 3 });

    const rejected = await fetch(`${crm.url}/api/imports/${importId}/rejections.csv`, { headers: { authorization: `Bearer ${marketer.token}` } });
    expect(rejected.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await rejected.text()).trim().split('\r\n');
    // A semicolon is quoted too, for spreadsheets that split cells on it.
    expect(lines).toEqual(['line,column,reason', `3,'@Qty,"""two"" is not a whole number"`, expect.stringMatching(/^4,Date,"""tomorrow"" is not a date/), '5,Price,"""1;=2"" is not an amount"']);

    const listed = await call(`${crm.url}/api/imports`, { token: marketer.token });
    expect(listed.body[0]).toMatchObject({ id: importId, fileName: 'formulas.csv', status: 'succeeded', rejected: 3 });
    expect(listed.body[0]).not.toHaveProperty('filePath');
    const other = await crm.person('marketer');
    expect((await call(`${crm.url}/api/imports`, { token: other.token })).body).toEqual([]);
    expect((await call(`${crm.url}/api/imports/${importId}/rejections.csv`, { token: other.token })).status).toBe(404);
    const admin = await crm.person('admin');
    expect((await call(`${crm.url}/api/imports/${importId}/rejections.csv`, { token: admin.token })).status).toBe(200);
  });
});
