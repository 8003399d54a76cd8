// Time from `npm start` to a healthy /healthz: the first start (empty data directory: PostgreSQL initialised,
// migrated, demo data loaded) and the second (data kept). Run: npm run bench:startup
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(root, '.data', 'bench-startup');
const port = 3917;
const runs = Number(process.env.RUNS ?? 3);

async function timeStart() {
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }, stdio: 'ignore', detached: true });
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (performance.now() - started > 120_000) throw new Error('no healthy answer within two minutes');
    await new Promise((r) => setTimeout(r, 20));
  }
  const ms = performance.now() - started;
  process.kill(-child.pid, 'SIGINT');
  await new Promise((r) => child.on('exit', r));
  return ms;
}

const first = [];
const second = [];
for (let i = 0; i < runs; i++) {
  await rm(dataDir, { recursive: true, force: true });
  first.push(await timeStart());
  second.push(await timeStart());
}
await rm(dataDir, { recursive: true, force: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`machine: ${cpus().length} cores (${cpus()[0].model}), node ${process.version}`);
console.log(`first start (new data directory, 5,000 demo customers): median ${(median(first) / 1000).toFixed(2)} s  [${first.map((m) => (m / 1000).toFixed(2)).join(', ')}]`);
console.log(`second start (data kept):                               median ${(median(second) / 1000).toFixed(2)} s  [${second.map((m) => (m / 1000).toFixed(2)).join(', ')}]`);
