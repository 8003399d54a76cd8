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
    if (unknown.size) {
      const { rows } = await db.query<{ description: string; id: number | null }>(
        `with given as (select distinct d from unnest($1::text[]) as d),
              added as (insert into products (description_key) select distinct lower(d) from given order by 1
                        on conflict do nothing returning id, description_key)
         select g.d as description, coalesce(a.id, p.id) as id from given g
         left join added a on a.description_key = lower(g.d)
         left join products p on p.description_key = lower(g.d)`,
        [[...unknown]],
      );
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
    return this.known;
  }
}
