import type { Queryable } from '../../db/sql.js';

/**
 * The catalogue's id for each line description an import meets, remembered for the whole import: a file names a
 * few thousand products over hundreds of thousands of lines, so each is looked up (or added) once. The catalogue
 * keys products by PostgreSQL's lower(), so the lower-casing is left to it.
 */
export class ProductIds {
  private readonly known = new Map<string, number>();

  async of(db: Queryable, descriptions: Iterable<string | null>): Promise<ReadonlyMap<string, number>> {
    const unknown = new Set<string>();
    for (const d of descriptions) if (d !== null && !this.known.has(d)) unknown.add(d);
    if (unknown.size) await this.learn(db, unknown);
    return this.known;
  }

  /** The id of each description, in order (0 for none), in one pass over them: an import calls this for every line. */
  async idsOf(db: Queryable, descriptions: readonly (string | null)[]): Promise<Int32Array> {
    const ids = new Int32Array(descriptions.length);
    const missing: number[] = [];
    for (let i = 0; i < descriptions.length; i++) {
      const d = descriptions[i];
      if (d === null) continue;
      const id = this.known.get(d);
      if (id === undefined) missing.push(i);
      else ids[i] = id;
    }
    if (missing.length) {
      await this.learn(db, new Set(missing.map((i) => descriptions[i]!)));
      for (const i of missing) ids[i] = this.known.get(descriptions[i]!)!;
    }
    return ids;
  }

  private async learn(db: Queryable, unknown: Set<string>) {
    const { rows } = await db.query<{ description: string; id: number | null }>(
      `select description, product_id as id from catalogue_products($1::text[])`, [[...unknown]]);
    for (const r of rows) if (r.id !== null) this.known.set(r.description, r.id);
    // A description another import added while this statement waited is in neither of its snapshots: read again.
    const missed = rows.filter((r) => r.id === null).map((r) => r.description);
    if (missed.length) {
      const again = await db.query<{ description: string; id: number }>(
        `select d as description, p.id from unnest($1::text[]) as d join products p on p.description_key = lower(d)`, [missed]);
      for (const r of again.rows) this.known.set(r.description, r.id);
      const lost = missed.find((d) => !this.known.has(d));
      if (lost !== undefined) throw new Error(`the product catalogue has no entry for "${lost}"`);
    }
  }

  /** After a transaction that added descriptions rolled back: they are not in the catalogue. */
  forget() {
    this.known.clear();
  }
}
