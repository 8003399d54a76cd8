// The one rule for text anywhere in the CRM (request bodies, file cells, tool arguments, chat messages, rules and
// templates): PostgreSQL cannot store a NUL character, and an unpaired UTF-16 surrogate is not a character at all
// (it would be stored as a replacement mark, silently changing what was sent). Both are refused, naming the field.

const suspect = /[\0\uD800-\uDFFF]/;

/** False when no part of the text can break the rule: one scan of a file's chunk spares checking its cells one by one. */
export const mayBreakTextRule = (value: string): boolean => suspect.test(value);

/** Why a text cannot be kept, or null when it can. */
export function textProblem(value: string): string | null {
  if (!suspect.test(value)) return null;
  if (value.includes('\0')) return 'contains a NUL character (\\u0000), which text cannot hold';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
      return 'contains a broken character (an unpaired UTF-16 surrogate)';
    }
    if (code >= 0xdc00 && code <= 0xdfff) return 'contains a broken character (an unpaired UTF-16 surrogate)';
  }
  return null;
}

/** The first text (or object key) inside a value that breaks the rule, with its path; null when all are fine. */
export function findTextProblem(value: unknown, path: string[] = [], skip?: (path: string[]) => boolean): { path: string; message: string } | null {
  if (skip?.(path)) return null;
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { path: path.join('.'), message } : null;
  }
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const keyMessage = textProblem(key);
    if (keyMessage) return { path: [...path, '(a key)'].join('.'), message: keyMessage };
    const found = findTextProblem(child, [...path, key], skip);
    if (found) return found;
  }
  return null;
}
