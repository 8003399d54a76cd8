// The first step of understanding a request: words, numbers and signs, each with where it stands in the text, so
// that every condition can say which words produced it and every word left over can be asked about.

export type TokenType = 'word' | 'number' | 'date' | 'email' | 'domain' | 'sign';

export interface Token {
  /** The text as written. */
  text: string;
  /** Lower case, with curly quotes straightened; typo correction may replace it (see `corrected`). */
  norm: string;
  type: TokenType;
  start: number;
  end: number;
  /** For numbers: the value, and what was written straight after it ("10k", "3rd", "50%", "5+"). */
  value?: number;
  suffix?: string;
  /** The word as typed, when `norm` holds a correction. */
  corrected?: string;
}

const PATTERN = new RegExp([
  String.raw`(?<email>[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+)`,
  String.raw`(?<date>\d{4}-\d{2}-\d{2})`,
  // A number and what is glued to it: 10k, 1.5L, 3rd, 50%, 10,000+, 90d, 3mo.
  String.raw`(?<number>\d(?:\d|,(?=\d))*(?:\.\d+)?)(?!\d)(?<suffix>k|l|lakhs?|lacs?|cr|crores?|mn|m|st|nd|rd|th|d|days?|w|wks?|weeks?|mos?|months?|y|yrs?|years?)?(?![a-z])(?<plus>\+)?(?<percent>%)?`,
  // Product sizes and codes: 5kg, 250g, 85123A.
  String.raw`(?<code>\d[a-z0-9]*[a-z][a-z0-9]*)`,
  String.raw`(?<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|in|co|net|org|io|uk|edu|gov)(?:\.[a-z]{2})?)(?![a-z0-9-])`,
  String.raw`(?<word>[a-z\u00c0-\u024f][a-z\u00c0-\u024f0-9]*(?:['-][a-z\u00c0-\u024f0-9]+)*)`,
  // Any other script ("मुंबई"): a word the vocabulary may not hold, asked about rather than skipped.
  String.raw`(?<other>\p{L}[\p{L}\p{M}]*)`,
  String.raw`(?<sign>>=|<=|!=|<>|[₹$£€%+><=≥≤&/,;:.?!()"—–-])`,
].join('|'), 'gu');

/** Splits a request into tokens; anything else (emoji, stray marks) is skipped. */
export function tokenize(text: string): Token[] {
  const lower = text.toLowerCase().replace(/[’‘`]/g, "'").replace(/[“”]/g, '"');
  const tokens: Token[] = [];
  for (const m of lower.matchAll(PATTERN)) {
    const g = m.groups!;
    const start = m.index!;
    const base = { text: text.slice(start, start + m[0].length), norm: m[0], start, end: start + m[0].length };
    if (g.email) tokens.push({ ...base, type: 'email' });
    else if (g.date) tokens.push({ ...base, type: 'date' });
    else if (g.number !== undefined) {
      const value = Number(g.number.replace(/,/g, ''));
      const suffix = [g.suffix, g.plus, g.percent].filter(Boolean).join('') || undefined;
      tokens.push({ ...base, norm: g.number.replace(/,/g, ''), type: 'number', value, suffix });
    } else if (g.domain) tokens.push({ ...base, type: 'domain' });
    else if (g.code) tokens.push({ ...base, type: 'word' });
    else if (g.other) tokens.push({ ...base, type: 'word' });
    else if (g.word) tokens.push({ ...base, type: 'word', norm: g.word.replace(/'s$/, '') });
    else tokens.push({ ...base, type: 'sign' });
  }
  return tokens;
}
