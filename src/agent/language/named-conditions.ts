import { has, isFiller, sense, type Item } from './items.js';
import { readLabel } from './labels.js';
import { placeFollows } from './place-list.js';
import type { RuleJson } from './rule-json.js';
import { f, not, suggest, suggestCountries, type ClauseReading, type ParseContext } from './conditions.js';

// Conditions that carry their own meaning, whatever figures the clause holds: places, labels, consent, campaigns,
// tags, email domains, contacts, text matches and bracketed groups.

/** Conditions that carry their own meaning: places, labels, consent, campaigns, tags, domains, missing contacts. */
export function readSelfContained(items: Item[], start: number, end: number, ctx: ParseContext, out: ClauseReading,
  add: (rule: RuleJson, from: number, to: number, extra?: Item[]) => void, negatedAt: (i: number) => number) {
  for (let i = start; i < end; i++) {
    const item = items[i];
    if (item.used) continue;
    // Places, with the places listed after them ("Mumbai, Pune or Delhi").
    if (item.place || item.demonym && demonymUsed(items, i, end)) {
      const places = [item.place ?? item.demonym!];
      let k = i + 1;
      while (k + 1 < end && ['or', 'and', ',', '/', 'and/or', '&'].includes(items[k].words) && placeFollows(items, k + 1) && placeFollows(items, k + 1) < end
        && !places.some((p) => p.value === (items[placeFollows(items, k + 1)].place ?? items[placeFollows(items, k + 1)].demonym)!.value)) {
        k = placeFollows(items, k + 1);
        places.push(items[k].place ?? items[k].demonym!);
        k++;
      }
      let rule = placeRule(places);
      // "Isn't a Delhi VIP": the negation covers the place and the description said with it.
      const described = sense(items[k], 'label') && !items[k].used ? readLabel(sense(items[k], 'label')!.label, items[k].words, ctx.vocabulary, ctx.currency) : null;
      const before = items[i - 1]?.words === 'the' ? i - 2 : i - 1;
      const outside = has(items[before], 'outside') ? before : items[before]?.words === 'in' && has(items[before - 1], 'neg') ? before - 1 : -1;
      const neg = outside >= 0 ? outside : negatedAt(i);
      if (described && neg >= 0 && outside < 0) {
        rule = { all: [rule, described.rules] };
        if (described.definition) out.definitions.push(described.definition);
        k++;
      }
      add(neg >= 0 ? not(rule) : rule, i, k, neg >= 0 ? [items[neg]] : []);
      i = k - 1;
      continue;
    }
    if (item.group) {
      // "country NOT IN ('United Kingdom','Germany')"
      const neg2 = has(items[i - 1], 'outside') ? i - 1 : negatedAt(i);
      add(neg2 >= 0 ? not(item.group) : item.group, i, i + 1, neg2 >= 0 ? [items[neg2]] : []);
      continue;
    }
    // "No email but a phone number": a contact named on its own in its clause is one the customer has.
    const contact = sense(item, 'textfield')?.field ?? (['email', 'email address'].includes(item.words) ? 'email' : undefined);
    if ((contact === 'phone' || contact === 'email') && !out.conditions.length && !sense(items[i + 1], 'textop') && !has(items[i + 1], 'presence')
      && items.slice(start, end).every((x) => x === item || x.used || isFiller(x) || has(x, 'neg') || sense(x, 'flag')?.flag === 'email_users' || ['a', 'an', 'with', 'has', 'have', 'w/'].includes(x.words))) {
      const neg2 = negatedAt(i);
      add(f(contact, neg2 >= 0 ? 'is_empty' : 'is_set'), i, i + 1, neg2 >= 0 ? [items[neg2]] : []);
      continue;
    }
    // "Phone is empty", "city is set".
    const presence = sense(item, 'presence');
    if (presence) {
      // "Email field is empty": the word "field" only names the column.
      const at = items[i - 1]?.words === 'field' ? i - 2 : i - 1;
      const fieldItem = items[at];
      const field = sense(fieldItem, 'textfield')?.field ?? ({ city: 'city', country: 'country', email: 'email', emails: 'email', 'email id': 'email', 'email address': 'email', phone: 'phone', name: 'name', tags: 'tags' } as Record<string, string>)[fieldItem?.words ?? ''];
      if (field) {
        const neg2 = negatedAt(at);
        const set = presence.set !== neg2 >= 0;
        add(f(field, set ? 'is_set' : 'is_empty'), at, i + 1, neg2 >= 0 ? [items[neg2]] : []);
        continue;
      }
    }
    const absent = ctx.grounding.absentDemonyms.get(item.words);
    if (absent && !item.place) {
      out.asks.push({ words: item.words, question: `There are no customers in ${absent} in the data.${suggestCountries(ctx)}` });
      item.used = true;
      continue;
    }
    const label = sense(item, 'label');
    if (label) {
      const reading = readLabel(label.label, item.tokens.map((t) => t.text).join(' '), ctx.vocabulary, ctx.currency);
      if (reading) {
        const neg = negatedAt(i);
        add(neg >= 0 ? not(reading.rules) : reading.rules, i, i + 1, neg >= 0 ? [items[neg]] : []);
        if (reading.definition) out.definitions.push(reading.definition);
      }
      continue;
    }
    const flag = sense(item, 'flag');
    const neg = negatedAt(i);
    const withNeg = (rule: RuleJson) => (neg >= 0 ? not(rule) : rule);
    const negItems = neg >= 0 ? [items[neg]] : [];
    if (flag?.flag === 'subscribed') { add(f('unsubscribed', 'is', neg >= 0), i, i + 1, negItems); continue; }
    if (flag?.flag === 'unsubscribed') { add(f('unsubscribed', 'is', neg < 0), i, i + 1, negItems); continue; }
    if (flag?.flag === 'no_email' || flag?.flag === 'no_phone') { add(f(flag.flag === 'no_email' ? 'email' : 'phone', 'is_empty'), i, i + 1); continue; }
    if (flag?.flag === 'has_email' || flag?.flag === 'has_phone') { add(f(flag.flag === 'has_email' ? 'email' : 'phone', neg >= 0 ? 'is_empty' : 'is_set'), i, i + 1, negItems); continue; }
    // "received campaign 12", "didn't get campaign #12"
    const skipThe = ['the', 'our'].includes(items[i + 1]?.words ?? '') ? 1 : 0;
    const campaignAt = has(items[i], 'campaign') ? i : (flag?.flag === 'received' || has(item, 'head')) && has(items[i + 1 + skipThe], 'campaign') ? i + 1 + skipThe : -1;
    if (campaignAt >= 0) {
      let k = campaignAt + 1;
      if (items[k]?.words === '#') k++;
      const id = items[k]?.token?.type === 'number' ? items[k].token!.value! : undefined;
      if (id !== undefined && Number.isInteger(id)) {
        add(withNeg({ received: { campaign: id } }), i, k + 1, negItems);
        i = k;
        continue;
      }
    }
    // "Whose name contains Khan", "email starts with priya", "phone numbers starting with +971".
    const textField = sense(item, 'textfield')?.field ?? (['email', 'email address', 'emails', 'email id'].includes(item.words) ? 'email' : undefined);
    const textOp = sense(items[i + 1], 'textop');
    if (textField && textOp) {
      let k = i + 2;
      const taken: Item[] = [];
      while (k < end && !(has(items[k], 'join') && items[k].token?.type !== 'sign') && !(items[k].token?.type === 'sign' && !['+', '-', '@', '_'].includes(items[k].words))) taken.push(items[k++]);
      if (taken.length) {
        const value = taken.map((x, n) => (n > 0 && x.tokens[0].start === taken[n - 1].tokens.at(-1)!.end ? '' : ' ') + x.tokens.map((t) => t.text).join(' ')).join('').trim();
        add(withNeg(f(textField, textOp.op, value)), i, k, negItems);
        i = k - 1;
        continue;
      }
    }
    // Tags: "tagged wholesale", "tagged loyalty or newsletter", "with the loyalty tag", "tag = app-user", "the wholesale
    // and festive-shopper tags", or a tag alone in its clause ("… but not loyalty", "Segment: Mumbai | loyalty").
    const alone = (k: number) => items.slice(start, end).every((x, n) => start + n === k || x.used || isFiller(x) || x.token?.type === 'sign' || has(x, 'neg'));
    const tagAt = (k: number) => !!items[k] && ctx.grounding.tags.has(items[k].words) && !items[k].used;
    let first = -1;
    let neitherAt = -1;
    if (flag?.flag === 'tag') {
      let k = i + 1;
      while (['=', ':', 'is', 'are', 'as', 'neither'].includes(items[k]?.words ?? '')) k++;
      // "Tagged neither wholesale nor festive-shopper": the first tag is negated too.
      if (items[k - 1]?.words === 'neither') neitherAt = k - 1;
      if (tagAt(k)) first = k;
      else {
        // The list before "tags": walk back over "and", "or", commas.
        let b = i - 1;
        while (tagAt(b) && (b - 1 < start || !['and', 'or', ',', '&'].includes(items[b - 1]?.words ?? '') || !tagAt(b - 2))) break;
        while (tagAt(b - 2) && ['and', 'or', ',', '&'].includes(items[b - 1]?.words ?? '')) b -= 2;
        if (tagAt(b)) first = b;
      }
    } else if (tagAt(i) && (has(items[i + 1], 'people') || items[i + 1]?.words === 'members' || items[i - 1]?.words === 'in' || alone(i))) first = i;
    if (first >= 0) {
      const list = listOf(items, first, end, (x) => (x.used ? undefined : ctx.grounding.tags.get(x.words)));
      const values = list.values as string[];
      const rule = values.length === 1 ? f('tags', 'contains', values[0]) : list.join === 'or' ? f('tags', 'in', values) : { all: values.map((v) => f('tags', 'contains', v)) };
      const from = Math.min(first, i);
      let to = Math.max(list.to, i + 1);
      if (sense(items[to], 'flag')?.flag === 'tag' || has(items[to], 'people')) to++;
      const tagNeg = neitherAt >= 0 ? neitherAt : negatedAt(from);
      add(tagNeg >= 0 ? not(rule) : rule, from, to, tagNeg >= 0 ? [items[tagNeg]] : []);
      i = to - 1;
      continue;
    }
    // Email domains: "gmail users", "@gmail.com or @tcs.com", "gmail or outlook.com users".
    if (item.token?.type === 'domain' && !ctx.grounding.domains.includes(item.words) && !item.used) {
      out.asks.push({ words: item.words, question: ctx.grounding.domains.length ? `No customer has an email address at ${item.words}.${suggest(ctx.grounding.domains.slice(0, 3))}` : `This data holds no email addresses, so I cannot look for ${item.words}.` });
      item.used = true;
      continue;
    }
    const domainOf = (x: Item) => (x.token?.type === 'domain' ? x.words : ctx.grounding.domain(x.words.replace(/^@/, '')));
    const domain = domainOf(item);
    if (domain) {
      const list = listOf(items, i, end, (x) => (x.words === '@' ? undefined : domainOf(x)), true);
      const after = items[list.to];
      // "On gmail", "on neither gmail nor …", "not hotmail," alone in its clause: the provider stands for its users.
      const said = has(items[i - 1], 'neg') ? items[i - 2] : items[i - 1];
      const marked = item.token?.type === 'domain' || ['@', 'on', 'using', 'use'].includes(said?.words ?? '') || sense(after, 'flag')?.flag === 'email_users' || has(after, 'people')
        || items.slice(start, end).every((x) => x === item || x.used || isFiller(x) || has(x, 'neg') || x.token?.type === 'sign');
      if (marked) {
        const values = list.values as string[];
        const to = sense(after, 'flag')?.flag === 'email_users' || has(after, 'people') ? list.to + 1 : list.to;
        add(withNeg(values.length === 1 ? f('email_domain', 'equals', values[0]) : f('email_domain', 'in', values)), i, to, negItems);
        i = to - 1;
        continue;
      }
    }
  }
}

/** A country's adjective stands for the country before a word for people, also at the head of a list of them. */
function demonymUsed(items: Item[], i: number, end: number) {
  // "Canadians", "Brits": the plural names the people themselves.
  if (/[^s]s$/.test(items[i].words)) return true;
  let k = i + 1;
  while (k + 1 < end && ['or', 'and', ',', '/'].includes(items[k].words) && items[k + 1].demonym) k += 2;
  if (has(items[k], 'people') || ['are', 'is'].includes(items[i - 1]?.words ?? '')) return true;
  // "Norwegian or Danish — top 6 by AOV": nationalities heading the request, before a pause, name its customers.
  const joins = ['or', 'and', ',', '/'];
  let first = i;
  while (first >= 2 && joins.includes(items[first - 1].words) && items[first - 2].demonym) first -= 2;
  let last = i + 1;
  while (last + 1 < items.length && joins.includes(items[last].words) && items[last + 1].demonym) last += 2;
  return items.slice(0, first).every((x) => isFiller(x)) && (last >= items.length || ['—', '–', ':', '-', ',', ';'].includes(items[last].words));
}

/**
 * A list of names of one kind starting at items[from]: "loyalty or newsletter", "@infosys.com or @tcs.com". Returns
 * the values, how they were joined, and where the list ends.
 */
function listOf(items: Item[], from: number, end: number, name: (x: Item) => string | undefined, skipAt = false) {
  const values = [name(items[from])];
  let join: 'and' | 'or' = 'or';
  let k = from + 1;
  for (;;) {
    let next = k;
    if (!['or', 'and', ',', '/', 'and/or'].includes(items[next]?.words ?? '')) break;
    const joinWord = items[next].words;
    next++;
    if (skipAt && items[next]?.words === '@') next++;
    const value = next < end ? name(items[next]) : undefined;
    if (!value) break;
    if (joinWord === 'and') join = 'and';
    values.push(value);
    k = next + 1;
  }
  return { values, join, to: k };
}

function placeRule(listed: { field: 'city' | 'country'; value: string; city?: string }[]): RuleJson {
  // Among cities, a name that is a city and a country (Singapore) is the city.
  const places = listed.some((p) => p.field === 'city') ? listed.map((p) => (p.city ? { field: 'city' as const, value: p.city } : p)) : listed;
  const byField = (field: 'city' | 'country') => [...new Set(places.filter((p) => p.field === field).map((p) => p.value))];
  const parts = (['city', 'country'] as const).map((field) => ({ field, values: byField(field) })).filter((p) => p.values.length)
    .map((p) => (p.values.length === 1 ? f(p.field, 'equals', p.values[0]) : f(p.field, 'in', p.values)));
  return parts.length === 1 ? parts[0] : { any: parts };
}

