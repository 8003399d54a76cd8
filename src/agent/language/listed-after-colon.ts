/**
 * "Bought any of these in the last 60 days: Darjeeling tea, masala chai, A2 cow ghee" names its products after a
 * colon, at the end. Written back in place, each with the verb and the time ("bought Darjeeling tea in the last 60
 * days or bought masala chai in the last 60 days or …"), the list reads like any other; "all of these" joins with "and".
 */
const LISTED = /\b(bought|purchased|ordered|buy|purchase|order)\s+(any|either|one|all|each|both|every one)\s+of\s+(?:these|the following|this list|the ones below|the below|them)\b([^:]*):\s*(.+)$/i;

export function listedAfterColon(text: string): string {
  const m = LISTED.exec(text);
  if (!m) return text;
  const [whole, verb, which, between, listed] = m;
  const names = listed.split(/\s*(?:,|;|\band\b|\bor\b|\/)\s*/i).map((x) => x.trim().replace(/[.!?]+$/, '')).filter(Boolean);
  if (names.length < 2) return text;
  const join = /^(all|each|both|every one)$/i.test(which) ? ' and ' : ' or ';
  return `${text.slice(0, m.index)}${names.map((name) => `${verb} ${name}${between.trimEnd()}`).join(join)}`;
}
