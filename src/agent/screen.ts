import { z } from 'zod';
import { ruleJson } from '../crm/segments/rule-parser.js';

/**
 * What the person is looking at when they write from a page's chat panel: the page in words, and the rule of the
 * customers it shows (a segment, a filtered list), so that "these customers" and "this segment" mean them.
 */
export const screenContext = z.object({
  page: z.string().trim().min(1).max(200),
  rules: ruleJson.optional(),
}).strict();
export type ScreenContext = z.output<typeof screenContext>;

// The screen reaches every model as a line of text of its own before the person's message; the offline model reads
// it back by this prefix, and never takes it for something the person wrote.
const PREFIX = 'What the person is looking at (what "these", "them" and "this" refer to): ';

export const screenText = (screen: ScreenContext) => `${PREFIX}${JSON.stringify(screen)}`;

/** The screen a text part describes, or null for any other text. */
export function readScreen(text: string): ScreenContext | null {
  if (!text.startsWith(PREFIX)) return null;
  try {
    const parsed = screenContext.safeParse(JSON.parse(text.slice(PREFIX.length)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
