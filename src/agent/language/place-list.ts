import type { Item } from './items.js';

/** A place at items[i], perhaps after "or", "in" or "from" ("… or in Mumbai"). */
export function placeFollows(items: Item[], i: number): number {
  let k = i;
  if (items[k]?.words === 'or' || items[k]?.words === 'and') k++;
  if (['in', 'from', 'at'].includes(items[k]?.words ?? '')) k++;
  if (items[k]?.words === 'the') k++;
  return items[k]?.place || items[k]?.demonym ? k : 0;
}
