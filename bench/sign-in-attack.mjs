// npm run bench:sign-in-attack — what 500 wrong passwords (25 at a time, from one address, about 50 a second as a
// script would send them) do to everyone else: /healthz and another person's sign-in, timed before and during the
// attack, and how many guesses were checked at all.
import { benchDatabase, benchServer, percentile } from './bench-database.mjs';

const db = await benchDatabase('crm_bench_sign_in');
const server = await benchServer(db);
const { UsersService } = await import('../dist/src/auth/users.service.js');
const operator = { userId: null, email: 'bench', role: 'admin', surface: 'system' };
const users = server.app.get(UsersService);
await users.create(operator, { email: 'target@example.com', role: 'marketer', password: 'the-right-password' });
await users.create(operator, { email: 'bystander@example.com', role: 'marketer', password: 'bystander-password' });

const timed = async (work) => { const t = performance.now(); const res = await work(); await res.arrayBuffer(); return [performance.now() - t, res.status]; };
const health = () => timed(() => fetch(`${server.url}/healthz`));
const signIn = (email, password) => timed(() => fetch(`${server.url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) }));
const stats = (xs) => `p50 ${percentile(xs, 0.5).toFixed(1)} ms, p95 ${percentile(xs, 0.95).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})`;

const calm = [];
for (let i = 0; i < 200; i++) calm.push((await health())[0]);
const calmSignIn = [];
for (let i = 0; i < 5; i++) calmSignIn.push((await signIn('bystander@example.com', 'bystander-password'))[0]);

const statuses = new Map();
const queue = Array.from({ length: 500 }, (_, i) => `guess-${i}`);
let attacking = true;
const started = performance.now();
const attack = Promise.all(Array.from({ length: 25 }, async () => {
  for (let guess = queue.pop(); guess; guess = queue.pop()) {
    const [took, status] = await signIn('target@example.com', guess);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    await new Promise((r) => setTimeout(r, Math.max(0, 500 - took))); // each of the 25 guesses twice a second
  }
})).then(() => { attacking = false; });
const during = [];
const duringSignIn = [];
await Promise.all([
  attack,
  (async () => { while (attacking) during.push((await health())[0]); })(),
  (async () => { while (attacking) duringSignIn.push((await signIn('bystander@example.com', 'bystander-password'))[0]); })(),
]);
const attackMs = performance.now() - started;
const [, rightStatus] = await signIn('target@example.com', 'the-right-password');

console.log(`machine: ${db.machine}`);
console.log(`attack: 500 wrong passwords for one account, 25 at a time, in ${(attackMs / 1000).toFixed(1)} s; answers: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(', ')}`);
console.log(`the right password just after: ${rightStatus} (429 = told to wait)`);
console.log(`/healthz calm:          ${stats(calm)}`);
console.log(`/healthz during attack: ${stats(during)}`);
console.log(`another person's sign-in calm:   ${stats(calmSignIn)}`);
console.log(`another person's sign-in during: ${stats(duringSignIn)}`);
await server.close();
await db.close();
