import { has, isFiller, type Item } from './items.js';

// Kinds of words that only connect or qualify: left over, they change nothing a person meant.
const functionKinds = new Set(['filler', 'people', 'join', 'prep', 'recent', 'currency', 'edge', 'scale', 'everyone', 'textfield']);
const ignorable = (i: Item) => i.words === 'a' || i.words === 'an' || i.words === '=' || i.senses.some((s) => s.kind === 'people' || s.kind === 'filler' || s.kind === 'flag' && s.flag === 'email_users')
  || i.senses.length > 0 && i.senses.every((s) => functionKinds.has(s.kind));

/** Items no condition took that still carry meaning: what the parser must ask about rather than ignore. */
export function leftover(items: Item[]): Item[] {
  // "Only" and "just" add nothing where no figure took them ("but only in Bengaluru").
  return items.filter((i) => !i.used && !(i.token?.type === 'sign') && !isFiller(i) && !ignorable(i) && !['only', 'just'].includes(i.words) || !i.used && has(i, 'neg') && !has(i, 'filler'));
}
