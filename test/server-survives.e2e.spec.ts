import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import { freePort } from '../src/db/free-port.js';
import { runCrm, type CrmProcess } from './support/crm-process.js';
import { personInDatabase } from './support/person-in-database.js';
import { tcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server's peak memory so far (VmHWM), in MB, read from the kernel. */
async function peakMemoryMb(pid: number) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Events for one token, as the web app's websocket receives them. */
function listen(url: string, token: string) {
  const received: { event: string; data: any }[] = [];
  const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
  socket.on('message', (raw) => received.push(JSON.parse(String(raw))));
  const open = new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });
  return { received, socket, open };
}

// Each of these ended the server process before: it runs here as its own process, behind a TCP relay to
// PostgreSQL so that the database can also be made to vanish or hang.
describe('the server survives', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let server: CrmProcess;
  let url: string;
  let dataDir: string;
  let marketer: { token: string; userId: number };

  const alive = async () => {
    expect(server.child.exitCode).toBeNull();
    return (await fetch(`${url}/healthz`)).status;
  };
  const importFinished = async (id: string, timeoutMs = 120_000) => {
    for (const started = Date.now(); Date.now() - started < timeoutMs; await wait(100)) {
      const report = await (await fetch(`${url}/api/imports/${id}`, { headers: { authorization: `Bearer ${marketer.token}` } })).json();
      if (report.status === 'succeeded' || report.status === 'failed') return report;
    }
    throw new Error(`import ${id} did not finish`);
  };
  const upload = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${url}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${marketer.token}`, ...headers }, body });

  beforeAll(async () => {
    db = await createTestDatabase();
    marketer = await personInDatabase(db.sql, 'marketer');
    const target = new URL(db.url);
    proxy = await tcpProxy(Number(target.port || 5432), target.hostname);
    const viaProxy = new URL(db.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    dataDir = await mkdtemp(join(tmpdir(), 'crm-survives-'));
    const port = await freePort();
    server = runCrm({
      // Its temporary directory is the test's own, to see that a received file does not stay there.
      DATABASE_URL: viaProxy.toString(), PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, DATA_DIR: dataDir, TMPDIR: dataDir,
      SEED_ON_EMPTY: 'false', VENDOR_PORT: '0', JOB_SUPERVISE_SECONDS: '1', LOG_LEVEL: 'warn',
    });
    await server.ready;
    url = `http://127.0.0.1:${port}`;
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await db?.drop();
  });

  it('a multipart upload cut off before its closing boundary: answered 400, nothing left on disk', async () => {
    const boundary = 'cut-off-boundary';
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="customers.csv"\r\nContent-Type: text/csv\r\n\r\ncustomerId,name\r\nA-1,Asha\r\n`;
    const res = await upload(truncated, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('not a complete multipart form');
    expect(await alive()).toBe(200);
    expect(await readdir(join(dataDir, 'crm-uploads'))).toEqual([]);

    // A refused form (a bad option) and a finished import leave no copy of the file behind either.
    const refused = new FormData();
    refused.append('layout', 'spreadsheet');
    refused.append('file', new Blob(['customerId,name\nA-2,Ravi\n']), 'c.csv');
    expect((await upload(refused)).status).toBe(400);
    const good = new FormData();
    good.append('file', new Blob(['customerId,name\nA-3,Meera\n']), 'c.csv');
    const accepted = await (await upload(good)).json();
    expect(await importFinished(accepted.importId)).toMatchObject({ status: 'succeeded', inserted: 1 });
    // The file went from the disk into the database as it was received, and from the database as the import ended
    // (a moment after its report says so).
    expect(await readdir(join(dataDir, 'crm-uploads'))).toEqual([]);
    const stored = async () => Number((await db.sql.rows(`select count(*) as n from upload_chunks`))[0].n);
    for (let i = 0; i < 50 && (await stored()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await stored()).toBe(0);
  });

  it('a few kilobytes of gzip holding five million bad lines: counted, 10,000 kept, memory flat', async () => {
    const lines = 5_000_000;
    const bomb = gzipSync(Buffer.concat([Buffer.from('customerId,name\n'), Buffer.alloc(lines, '\n')]), { level: 9 });
    expect(bomb.length).toBeLessThan(6_000);
    const form = new FormData();
    form.append('file', new Blob([bomb]), 'empty.csv.gz');
    const accepted = await (await upload(form)).json();
    const report = await importFinished(accepted.importId);
    expect(report.status).toBe('failed');
    expect(report.received).toBe(report.rejected + report.skipped);
    expect(report.received).toBeGreaterThanOrEqual(lines - 1);
    const [{ kept }] = await db.sql.rows(`select count(*)::int as kept from import_rejections where import_id = $1`, [accepted.importId]);
    expect(kept).toBeLessThanOrEqual(10_000);
    expect(await alive()).toBe(200);
    // Before, the rejected lines piled up in memory and the process died; now a batch at a time passes through.
    expect(await peakMemoryMb(server.child.pid!)).toBeLessThan(600);
  }, 180_000);

  it('losing the events connection (terminated, then every connection reset): events resume', async () => {
    const events = listen(url, marketer.token);
    await events.open;
    const importCustomer = async (externalId: string) => {
      const res = await fetch(`${url}/api/customers`, { method: 'POST', headers: { authorization: `Bearer ${marketer.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ externalId }) });
      return (await res.json()).importId as string;
    };
    const heard = async (importId: string) => {
      for (let i = 0; i < 100; i++) {
        if (events.received.some((e) => e.event === 'import.finished' && e.data.importId === importId)) return true;
        await wait(100);
      }
      return false;
    };
    expect(await heard(await importCustomer('E-1'))).toBe(true);

    const listeners = await db.sql.rows(`select pid from pg_stat_activity where datname = $1 and query = 'listen crm_events'`, [db.name]);
    expect(listeners.length).toBe(1);
    await db.sql.query(`select pg_terminate_backend($1)`, [listeners[0].pid]);
    await wait(1500);
    expect(await alive()).toBe(200);
    expect(await heard(await importCustomer('E-2'))).toBe(true);

    // A database restart or failover: every connection of the CRM cut at once.
    proxy.reset();
    await wait(2000);
    expect(await alive()).toBe(200);
    expect(await heard(await importCustomer('E-3'))).toBe(true);
    events.socket.close();
  }, 60_000);

  it('a database that hangs: /healthz answers 503 within seconds instead of hanging, then recovers', async () => {
    proxy.stall();
    try {
      const started = Date.now();
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(503);
      expect((await res.json()).database).toContain('not answering');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      proxy.resume();
    }
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++, await wait(200)) status = await alive();
    expect(status).toBe(200);
  }, 30_000);
});
