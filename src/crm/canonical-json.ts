/**
 * A value with every object's keys in a fixed order, so two copies compare (and hash) equal however they were
 * written: PostgreSQL's jsonb gives an object back with its keys reordered.
 */
export const canonicalJson = (v: unknown): unknown => (Array.isArray(v) ? v.map(canonicalJson)
  : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonicalJson((v as Record<string, unknown>)[k])])) : v);
