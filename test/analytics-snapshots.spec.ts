import { AnalyticsSnapshots } from '../src/crm/analytics/snapshots.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// Dashboard figures are kept only when they are slow to compute; a kept copy is served with its time, and a fresh one
// is computed behind it once the copy is a minute old.
describe(AnalyticsSnapshots.name, () => {
  let db: TestDatabase;
  let now: Date;
  let sut: AnalyticsSnapshots;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });
  beforeEach(async () => {
    await db.sql.query('truncate analytics_snapshots');
    now = new Date('2026-12-04T10:00:00Z');
    sut = new AnalyticsSnapshots(db.sql, () => now);
  });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('computes quick figures every time and keeps nothing', async () => {
    let n = 0;
    expect(await sut.get('quick', async () => ++n)).toEqual({ figures: 1, asOf: null });
    expect(await sut.get('quick', async () => ++n)).toEqual({ figures: 2, asOf: null });
    expect(await db.sql.rows('select name from analytics_snapshots')).toEqual([]);
  });

  it('serves slow figures from the kept copy, then computes them again behind it once the copy is a minute old', async () => {
    let n = 0;
    const slow = async () => { await wait(550); return ++n; };
    expect(await sut.get('slow', slow)).toEqual({ figures: 1, asOf: now });
    const computedAt = now;
    now = new Date(now.getTime() + 30_000);
    expect(await sut.get('slow', slow)).toEqual({ figures: 1, asOf: computedAt });
    expect(n).toBe(1);
    // A minute on: the old copy is answered at once, and the new one is ready for the next reader.
    now = new Date(computedAt.getTime() + 61_000);
    expect(await sut.get('slow', slow)).toEqual({ figures: 1, asOf: computedAt });
    await wait(900);
    expect(n).toBe(2);
    expect((await sut.get('slow', slow)).figures).toBe(2);
    // An import finished since the copy was made: the copy no longer counts, and the figures are computed now.
    await db.sql.query(`insert into imports (id, layout, source, status, finished_at) values (gen_random_uuid(), 'orders', 'api', 'succeeded', $1)`, [new Date(now.getTime() + 1000)]);
    expect((await sut.get('slow', slow)).figures).toBe(3);
    await db.sql.query('truncate imports cascade');
    // An hour-old copy is not served: the person waits for fresh figures.
    now = new Date(now.getTime() + 3_700_000);
    expect((await sut.get('slow', slow)).figures).toBe(4);
  });
});
