import { gzipSync } from 'node:zlib';
import { call, importFinished as finished, startTestCrm, type TestCrm } from './support/test-crm.js';

const order = (externalId: string, customer: string, total: string, extra: object = {}) => ({ externalId, customerExternalId: customer, placedAt: '2026-03-01T10:00:00Z', total, ...extra });

describe('imports through the API', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  beforeAll(async () => {
    crm = await startTestCrm();
    marketer = await crm.person('marketer');
  });
  afterAll(async () => { await crm.stop(); });

  it('queues a batch, keeps the good records, reports each bad one by index, and a retry changes nothing', async () => {
    const body = [
      order('O-1', 'asha', '12000.50'),
      order('O-2', 'asha', '1500', { lines: [{ sku: 'KUR-001', quantity: 1, unitPrice: '1500' }] }),
      { ...order('O-3', 'ravi', 'lots') },
      { externalId: 'O-4', placedAt: '2026-03-01' },
      order('O-5', 'ravi', '-300', { status: 'refunded' }),
    ];
    const res = await call(`${crm.url}/api/orders`, { token: marketer.token, body });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'queued', received: 5, rejected: 2, statusUrl: `/api/imports/${res.body.importId}` });
    const report = await finished(crm, marketer.token, res.body.importId);
    expect(report).toMatchObject({ status: 'succeeded', layout: 'orders', received: 5, inserted: 3, rejected: 2 });
    expect(report.rejections).toEqual([
      { position: 2, field: 'total', reason: 'must be an amount such as 1299.50 (at most three decimals)' },
      { position: 3, field: 'customerExternalId', reason: expect.any(String) },
    ]);
    const figures = () => crm.db.sql.rows(`select external_id, total_spend, order_count from customers order by external_id`);
    expect(await figures()).toEqual([
      { external_id: 'asha', total_spend: '13500.500', order_count: 2 },
      { external_id: 'ravi', total_spend: '-300.000', order_count: 0 },
    ]);

    const retry = await call(`${crm.url}/api/orders`, { token: marketer.token, body });
    const again = await finished(crm, marketer.token, retry.body.importId);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await figures()).toEqual([
      { external_id: 'asha', total_spend: '13500.500', order_count: 2 },
      { external_id: 'ravi', total_spend: '-300.000', order_count: 0 },
    ]);
  });

  it('answers a repeated Idempotency-Key with the first import, and refuses the key with different data', async () => {
    const headers = { 'idempotency-key': 'nightly-2026-03-01' };
    const body = { externalId: 'meera', name: 'Meera Iyer', email: 'meera@example.com' };
    const first = await call(`${crm.url}/api/customers`, { token: marketer.token, headers, body });
    const retry = await call(`${crm.url}/api/customers`, { token: marketer.token, headers, body });
    expect(retry.body).toMatchObject({ importId: first.body.importId, repeated: true });
    const second = await call(`${crm.url}/api/customers`, { token: marketer.token, headers, body: { externalId: 'meera', name: 'Someone Else' } });
    expect(second.status).toBe(409);
    expect(second.body.message).toContain('already used for a different import');
    await finished(crm, marketer.token, first.body.importId);
    expect(await crm.db.sql.rows(`select name from customers where external_id = 'meera'`)).toEqual([{ name: 'Meera Iyer' }]);
  });

  it('refuses a batch with no valid record, a batch too large, an analyst, and an unknown import', async () => {
    const none = await call(`${crm.url}/api/customers`, { token: marketer.token, body: [{ name: 'no id' }, { externalId: '' }] });
    expect(none.status).toBe(400);
    expect(none.body.problems.map((p: { index: number }) => p.index)).toEqual([0, 1]);
    const many = await call(`${crm.url}/api/customers`, { token: marketer.token, body: Array.from({ length: 10_001 }, (_, i) => ({ externalId: `c${i}` })) });
    expect(many.status).toBe(413);
    expect(many.body.message).toContain('at most 10,000 records (IMPORT_MAX_RECORDS)');
    const analyst = await crm.person('analyst');
    expect(await call(`${crm.url}/api/orders`, { token: analyst.token, body: order('X', 'y', '1') })).toMatchObject({ status: 403, body: { action: 'imports.write' } });
    expect((await call(`${crm.url}/api/imports/00000000-0000-0000-0000-000000000000`, { token: marketer.token })).status).toBe(404);
  });

  it('documents the import endpoints in OpenAPI from the schemas that check them', async () => {
    const doc = await call(`${crm.url}/api/docs-json`);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/customers', '/api/orders', '/api/imports', '/api/imports/{id}']));
    const orders = doc.body.paths['/api/orders'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(orders)).toContain('"customerExternalId"');
    expect((await fetch(`${crm.url}/api/docs`)).status).toBe(200);
  });

  it('takes a gzipped CSV upload with a mapping and reports it when a worker is done', async () => {
    const csv = 'Bill No,Client,When,Grand Total,Coupon\nB-1,neha,2026-02-01,999.00,NEW\nB-2,neha,2026-02-09,bad,NEW\n';
    const form = new FormData();
    form.append('map', 'Client=customerId,When=date');
    form.append('file', new Blob([gzipSync(csv)]), 'orders.csv.gz');
    const res = await fetch(`${crm.url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${marketer.token}` }, body: form });
    expect(res.status).toBe(202);
    const { importId } = await res.json();
    const report = await finished(crm, marketer.token, importId);
    expect(report).toMatchObject({ status: 'succeeded', source: 'upload', fileName: 'orders.csv.gz', inserted: 1, rejected: 1, ignoredColumns: ['Coupon'] });
    expect(report.rejections).toEqual([{ position: 3, field: 'Grand Total', reason: '"bad" is not an amount' }]);
    expect(report).not.toHaveProperty('filePath');
  });

  it('answers a re-sent upload with the first import, refuses the same key for another file, and keeps the good lines of a file with a NUL', async () => {
    const upload = (text: string, key: string) => {
      const form = new FormData();
      form.append('file', new Blob([text]), 'customers.ndjson');
      return fetch(`${crm.url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${marketer.token}`, 'idempotency-key': key }, body: form });
    };
    // NDJSON may write a NUL as an escape (a raw NUL byte makes the file binary, refused whole).
    const ndjson = '{"customerId":"U-1","name":"Uma","city":"Pune"}\n{"customerId":"U-2","name":"Ra\\u0000vi","city":"Delhi"}\n{"customerId":"U-3","name":"Isha","city":"Goa"}\n';
    const first = await (await upload(ndjson, 'weekly-upload-1')).json();
    const again = await (await upload(ndjson, 'weekly-upload-1')).json();
    expect(again).toMatchObject({ importId: first.importId, repeated: true });
    const other = await upload(ndjson.replace('Goa', 'Agra'), 'weekly-upload-1');
    expect(other.status).toBe(409);
    const report = await finished(crm, marketer.token, first.importId);
    expect(report.error).toBeNull();
    expect(report).toMatchObject({ status: 'succeeded', received: 3, inserted: 2, rejected: 1 });
    expect(report.rejections).toEqual([{ position: 2, field: 'name', reason: expect.stringContaining('NUL character') }]);
  });
});

describe('import events on the websocket', () => {
  let crm: TestCrm;
  beforeAll(async () => { crm = await startTestCrm({ IMPORT_BATCH_SIZE: '500' }); });
  afterAll(async () => { await crm.stop(); });

  const connect = async (token?: string) => {
    const { WebSocket } = await import('ws');
    const socket = new WebSocket(`${crm.url.replace('http', 'ws')}/ws`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const messages: { event: string; data: any }[] = [];
    socket.on('message', (m) => messages.push(JSON.parse(String(m))));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => { socket.on('open', resolve); socket.on('close', resolve); });
    return { socket, messages, closed };
  };

  it('sends the importer its progress and the finish, and nothing to another marketer', async () => {
    const owner = await crm.person('marketer');
    const other = await crm.person('marketer');
    const mine = await connect(owner.token);
    const theirs = await connect(other.token);
    await new Promise((r) => setTimeout(r, 100));
    const csv = ['customer id,name,city', ...Array.from({ length: 3000 }, (_, i) => `c${i},Person ${i},Pune`)].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv]), 'people.csv');
    const res = await fetch(`${crm.url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` }, body: form });
    const { importId } = await res.json();
    for (let i = 0; i < 100 && !mine.messages.some((m) => m.event === 'import.finished'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(mine.messages.find((m) => m.event === 'import.progress')).toMatchObject({ data: { importId, lines: expect.any(Number) } });
    expect(mine.messages.find((m) => m.event === 'import.finished')).toEqual({ event: 'import.finished', data: expect.objectContaining({ importId, status: 'succeeded', inserted: 3000 }) });
    expect(theirs.messages.filter((m) => m.event.startsWith('import.'))).toEqual([]);
    mine.socket.close();
    theirs.socket.close();
  });

  it('closes a connection nobody signed in to', async () => {
    const anonymous = await connect();
    expect(await anonymous.closed).toBe(4401);
  });
});
