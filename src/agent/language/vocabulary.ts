import type { Queryable } from '../../db/sql.js';

/**
 * What the parser grounds names against: the places, products, tags, domains, campaigns and segments the data
 * holds, spelled as the data spells them, and the spend figures that give descriptive words ("VIPs") their meaning.
 */
export interface Vocabulary {
  cities: string[];
  countries: string[];
  /** Product descriptions, lower case. */
  products: string[];
  tags: string[];
  emailDomains: string[];
  campaigns: { id: number; name: string }[];
  segments: { id: number; name: string }[];
  /** Total spend of customers who ordered, at each whole percentile 0–100 (empty with no orders). */
  spendPercentiles: number[];
}

export const emptyVocabulary: Vocabulary = { cities: [], countries: [], products: [], tags: [], emailDomains: [], campaigns: [], segments: [], spendPercentiles: [] };

/** Reads the vocabulary from the database: each list bounded, most common first. */
export async function loadVocabulary(db: Queryable): Promise<Vocabulary> {
  const column = async (sql: string) => (await db.query<{ v: string }>(sql)).rows.map((r) => r.v).filter((v) => v && v.trim());
  const [cities, countries, products, tags, emailDomains, campaigns, segments, spend] = await Promise.all([
    column(`select city as v from customers where city is not null group by city order by count(*) desc limit 5000`),
    column(`select country as v from customers where country is not null group by country order by count(*) desc limit 500`),
    column(`select description_key as v from products where description_key is not null limit 50000`),
    column(`select t as v from (select unnest(tags) as t from customers where tags <> '{}' limit 200000) x group by t order by count(*) desc limit 500`),
    column(`select lower(split_part(email, '@', 2)) as v from customers where email like '%@%' group by 1 order by count(*) desc limit 300`),
    db.query<{ id: number; name: string }>(`select id, name from campaigns where journey_step is null order by id desc limit 300`),
    db.query<{ id: number; name: string }>(`select id, name from segments where deleted_at is null order by id desc limit 300`).catch(() => ({ rows: [] })),
    db.query<{ p: string[] | null }>(`select percentile_disc(array(select g / 100.0 from generate_series(0, 100) g)) within group (order by total_spend) as p from customers where order_count > 0`),
  ]);
  return {
    cities, countries, products, tags, emailDomains,
    campaigns: campaigns.rows.map((r) => ({ id: Number(r.id), name: r.name })),
    segments: segments.rows.map((r) => ({ id: Number(r.id), name: r.name })),
    spendPercentiles: (spend.rows[0]?.p ?? []).map(Number),
  };
}

/**
 * A cheap fingerprint of what the vocabulary is read from: the newest customer, campaign and segment, and the number
 * of products. Index lookups only, so every turn can afford it.
 */
export async function vocabularySignature(db: Queryable): Promise<string> {
  const { rows: [r] } = await db.query<{ s: string }>(
    `select concat_ws(':', (select max(id) from customers), (select max(id) from campaigns), (select max(id) from segments),
       (select count(*) from segments where deleted_at is not null), (select count(*) from products)) as s`,
  );
  return r.s;
}

/**
 * Keeps the vocabulary fresh: a turn reads it again when the data it comes from has changed (new customers, products,
 * campaigns or segments — after an import, say) or when it is older than `maxAgeMs` (a city corrected in place).
 */
export class VocabularyCache {
  private current: Vocabulary | null = null;
  private signature = '';
  private loadedAt = 0;

  constructor(private readonly load: () => Promise<Vocabulary>, private readonly fingerprint: () => Promise<string>, private readonly maxAgeMs = 60_000) {}

  async get(): Promise<Vocabulary> {
    const signature = await this.fingerprint();
    if (!this.current || signature !== this.signature || Date.now() - this.loadedAt > this.maxAgeMs) {
      this.current = await this.load();
      this.signature = signature;
      this.loadedAt = Date.now();
    }
    return this.current;
  }
}

/** The vocabulary of the database behind `db`, cached and read again when its data changes. */
export function databaseVocabulary(db: Queryable): () => Promise<Vocabulary> {
  const cache = new VocabularyCache(() => loadVocabulary(db), () => vocabularySignature(db));
  return () => cache.get();
}
