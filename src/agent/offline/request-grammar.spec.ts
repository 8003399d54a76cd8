import { contextOf } from '../language/evaluation.js';
import { emptyVocabulary } from '../language/vocabulary.js';
import { readRequest as read } from './request-grammar.js';

const today = '2026-11-21';
// The names these requests are grounded in, as a shop's data would hold them.
const ctx = contextOf({
  ...emptyVocabulary,
  cities: ['Mumbai', 'Pune', 'Nashik', 'Delhi', 'Goa'], countries: ['India', 'United Kingdom'],
  products: ['white metal lantern', 'scented candle set', 'brass diya set'], tags: ['vip'], emailDomains: ['gmail.com', 'yahoo.co.in'],
}, today);
const readRequest = (text: string, _today = today) => read(text, ctx);
const audience = (text: string) => {
  const r = readRequest(text, today);
  if (r.kind !== 'audience') throw new Error(`${text} → ${JSON.stringify(r)}`);
  return r.rules;
};
const f = (field: string, op: string, value?: unknown) => (value === undefined ? { field, op } : { field, op, value });

describe('the offline model reads audiences', () => {
  it.each([
    ['customers who spent over 10k', f('total_spend', 'gt', 10000)],
    ['people whose lifetime spend is at least ₹25,000', f('total_spend', 'gte', 25000)],
    ['shoppers spending less than 1.5 lakh', f('total_spend', 'lt', 150000)],
    ['buyers who spent between 5k and 20k', f('total_spend', 'between', [5000, 20000])],
    ['at least 5 orders', f('order_count', 'gte', 5)],
    ['customers with 3 or more purchases', f('order_count', 'gte', 3)],
    ['who ordered fewer than three times', f('order_count', 'lt', 3)],
    ['customers who ordered only once', f('order_count', 'eq', 1)],
    ['repeat customers', f('order_count', 'gte', 2)],
    ['people who never ordered', f('order_count', 'eq', 0)],
    ["customers who haven't ordered in 3 months", f('last_order_date', 'more_than_ago', { amount: 3, unit: 'months' })],
    ['customers who have not bought anything for 60 days', f('days_since_last_order', 'gte', 60)],
    ['lapsed for 90 days', f('days_since_last_order', 'gte', 90)],
    ['last purchase more than 2 weeks ago', f('days_since_last_order', 'gte', 14)],
    ['ordered within the last 30 days', f('last_order_date', 'within_last', { amount: 30, unit: 'days' })],
    ['last order before 1 March', f('last_order_date', 'before', '2026-03-01')],
    ['last order after March 5th 2025', f('last_order_date', 'after', '2025-03-05')],
    ["customers who haven't ordered since December", f('last_order_date', 'before', '2025-12-01')],
    ['first order in the last 2 months', f('first_order_date', 'within_last', { amount: 2, unit: 'months' })],
    ['customers who joined before 2026-01-15', f('created_at', 'before', '2026-01-15')],
    ['average order value above 2,000', f('average_order_value', 'gt', 2000)],
    ['in Mumbai', f('city', 'equals', 'Mumbai')],
    ['customers from Pune or Nashik', f('city', 'in', ['Pune', 'Nashik'])],
    ['living outside Delhi', { not: f('city', 'equals', 'Delhi') }],
    ['customers from the United Kingdom', f('country', 'equals', 'United Kingdom')],
    ['with gmail addresses', f('email_domain', 'equals', 'gmail.com')],
    ['tagged vip', f('tags', 'contains', 'vip')],
    ['who bought candles in the last 90 days', { bought: { contains: 'candle', withinDays: 90 } }],
    ['who never bought lanterns', { not: { bought: { contains: 'lantern' } } }],
    ['who received campaign 12', { received: { campaign: 12 } }],
    ['subscribed customers in Goa', { all: [f('unsubscribed', 'is', false), f('city', 'equals', 'Goa')] }],
  ])('%s', (text, rule) => expect(audience(text)).toEqual(rule));

  it('joins with "and"/"but" inside "or"', () => {
    expect(audience('customers who spent over ₹10,000 but ordered fewer than 3 times, or went quiet for 90 days')).toEqual({
      any: [{ all: [f('total_spend', 'gt', 10000), f('order_count', 'lt', 3)] }, f('days_since_last_order', 'gte', 90)],
    });
    expect(audience('in Mumbai and spent over 5000 or in Pune with at least 2 orders')).toEqual({
      any: [{ all: [f('city', 'equals', 'Mumbai'), f('total_spend', 'gt', 5000)] }, { all: [f('city', 'equals', 'Pune'), f('order_count', 'gte', 2)] }],
    });
  });
});

describe('the offline model reads requests', () => {
  it.each([
    ['show me the overview', 'overview'], ['how is the business doing?', 'overview'], ['any insights?', 'insights'],
    ['when should we send?', 'insights'], ['campaign history', 'campaigns'], ['list our segments', 'segments'],
    ['how did the last campaign do?', 'campaign_stats'], ['go ahead and launch it', 'launch_previous'], ['hi', 'help'],
    ['find customer Asha', 'customer_search'], ['save it as a segment called Lapsed VIPs', 'save_previous'],
    ['who are they?', 'segment_insights'], ['tell me more about this segment', 'segment_insights'],
  ])('%s → %s', (text, kind) => expect(readRequest(text, today).kind).toBe(kind));

  it('reads a journey written in a sentence', () => {
    expect(readRequest('After a first order, a thank-you, then a week later a tip, unless they ordered again.', today)).toEqual({
      kind: 'journey',
      journey: {
        entry: { event: 'first_order' }, exitOnConversion: false, reentry: 'never',
        steps: [
          { send: { channel: 'email', subject: 'Thank you, {{first_name | "friend"}}', template: expect.stringMatching(/^Thank you for your order/) } },
          { wait: { days: 7, hours: 0 } },
          { branch: { if: 'ordered_since_entry', then: 5, else: 4 } },
          { send: { channel: 'email', subject: 'A tip for you', template: expect.stringMatching(/^A tip from us/) } },
          { exit: {} },
        ],
      },
    });
    expect(readRequest('whenever someone orders, send "Thanks!" then 3 days later "How was it?"', today)).toMatchObject({
      kind: 'journey', journey: { entry: { event: 'any_order' }, steps: [{ send: { template: 'Thanks!' } }, { wait: { days: 3 } }, { send: { template: 'How was it?' } }] },
    });
    // Not a journey: a one-off campaign, or a message the model could only guess at.
    expect(readRequest('customers in Pune, send them an email saying "Hi"', today).kind).not.toBe('journey');
    expect(readRequest('after a first order, a poem, then a week later a riddle', today).kind).not.toBe('journey');
  });

  it('reads how often a recurring campaign goes out', () => {
    const wish = (text: string) => (readRequest(text, today) as { campaign?: { recurrence?: unknown } }).campaign?.recurrence;
    expect(wish('Every Monday at 10, send the win-back offer to anyone who went quiet for 90 days')).toEqual({ every: 'week', on: 'monday', at: '10:00' });
    expect(wish('email customers in Pune daily at 7pm: "New in today"')).toEqual({ every: 'day', at: '19:00' });
    expect(wish('each month on the 5th, email customers who spent over 5,000 a thank-you')).toEqual({ every: 'month', day: 5, at: '10:00' });
    expect(wish('send customers in Delhi a weekly email with 10% off')).toEqual({ every: 'week', on: 'monday', at: '10:00' });
    expect(wish('send customers in Delhi an email with 10% off')).toBeUndefined();
  });

  it('reads a question about what a campaign earned, by name, by number or the latest', () => {
    expect(readRequest('How much did the win-back campaign make?', today)).toEqual({ kind: 'campaign_report', campaignId: undefined, name: 'win-back' });
    expect(readRequest('did campaign 12 pay off?', today)).toEqual({ kind: 'campaign_report', campaignId: 12, name: undefined });
    expect(readRequest('what revenue did the last campaign bring in', today)).toEqual({ kind: 'campaign_report', campaignId: undefined, name: undefined });
    expect(readRequest('customers in Pune — who are they?', today)).toMatchObject({ kind: 'audience', rules: f('city', 'equals', 'Pune'), insights: true });
  });

  it('reads a campaign: quoted message with fallbacks, channel, discount, send or only plan', () => {
    const send = readRequest('customers in Pune — text them "Hi {{first_name | "there"}}, 15% off today"', today);
    expect(send).toMatchObject({ kind: 'audience', campaign: { channel: 'sms', template: 'Hi {{first_name | "there"}}, 15% off today', send: true } });
    const plan = readRequest('plan a win-back email with 10% off for customers quiet for 60 days', today);
    expect(plan).toMatchObject({ kind: 'audience', campaign: { channel: 'email', goal: 'win_back', discountPercent: 10, send: false } });
  });

  it('reads when a one-off campaign should go: a day and time where the business is, or each customer\'s best hour', () => {
    const at = (text: string) => (readRequest(text, today) as { campaign?: { sendTime?: unknown } }).campaign?.sendTime;
    expect(at('email customers in Pune "Hi" tomorrow at 10am')).toEqual({ sendAt: '2026-11-22 10:00' });
    expect(at('text customers in Delhi "Sale ends soon" on Friday at 6 pm')).toEqual({ sendAt: '2026-11-27 18:00' });
    expect(at('email customers in Pune "Hi" at their best hour')).toEqual({ bestHour: true });
    expect(at('email customers in Pune "Hi"')).toBeUndefined();
    // The timing is not read as a condition on customers.
    expect(readRequest('email customers in Pune "Hi" tomorrow at 10am', today)).toMatchObject({ kind: 'audience', rules: f('city', 'equals', 'Pune') });
  });

  it('takes a rule written as JSON as it is', () => {
    expect(readRequest('Preview this rule instead: {"all":[{"field":"city","op":"equals","value":"Pune"}]}', today)).toEqual({ kind: 'audience', rules: { all: [f('city', 'equals', 'Pune')] }, saveAs: undefined, campaign: undefined });
  });

  it('asks instead of guessing when a word is not understood', () => {
    expect(readRequest('customers with purple hats in Pune', today)).toMatchObject({ kind: 'unclear', understood: f('city', 'equals', 'Pune'), unknown: ['purple', 'hats'] });
    // A place the data does not hold is asked about with the nearest it does, never counted as nobody.
    expect(readRequest('customers in Ventura', today)).toMatchObject({ kind: 'unclear', asks: [expect.stringMatching(/no city or country "Ventura"/)] });
    // A misspelt place the data holds is corrected, and the answer says so.
    expect(readRequest('customers in Nasik', today)).toMatchObject({ kind: 'audience', rules: f('city', 'equals', 'Nashik'), understood: { corrections: [{ from: 'Nasik', to: 'Nashik' }] } });
    expect(readRequest('who bought a snowboard', today)).toMatchObject({ kind: 'unclear', asks: [expect.stringMatching(/No product .* "snowboard"/)] });
    expect(readRequest('blorp the flibbers', today)).toMatchObject({ kind: 'unclear', understood: null });
  });
});
