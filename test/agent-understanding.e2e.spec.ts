import { call, importFinished, startTestCrm, type TestCrm } from './support/test-crm.js';
import { chatTurn, newConversation, toolCalls } from './support/chat-client.js';

// The offline model grounds every name in the data of this CRM, read from its database and read again when the data
// changes: places and products are what customers and orders hold, and a name that matches nothing is asked about.
describe('the offline model understands requests in terms of the data', () => {
  let crm: TestCrm;
  let marketer: { token: string };
  const ask = (text: string, conversationId = newConversation()) => chatTurn(crm.url, marketer.token, conversationId, { text });
  const count = async (where: string) => (await crm.db.sql.rows<{ n: number }>(`select count(*)::int as n from customers c where ${where}`))[0].n;
  const order = (customer: string, id: string, total: number, description: string, daysAgo = 10) => ({
    externalId: id, customerExternalId: customer, placedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(), status: 'completed',
    lines: [{ sku: description.slice(0, 3).toUpperCase(), description, quantity: 1, unitPrice: total }],
  });

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '20' });
    marketer = await crm.person('marketer');
    const customers = [
      { externalId: 'u1', name: 'Asha Rao', email: 'asha@gmail.com', city: 'Mumbai', country: 'India', tags: ['vip'] },
      { externalId: 'u2', name: 'Ravi Iyer', email: 'ravi@yahoo.co.in', city: 'Mumbai', country: 'India' },
      { externalId: 'u3', name: 'Meera Nair', email: 'meera@gmail.com', city: 'Pune', country: 'India' },
      { externalId: 'u4', name: 'Emma Smith', email: 'emma@outlook.com', city: 'London', country: 'United Kingdom' },
      { externalId: 'u5', name: 'Asha Menon', email: 'menon@gmail.com', city: 'Pune', country: 'India' },
    ];
    await importFinished(crm, marketer.token, (await call(`${crm.url}/api/customers`, { token: marketer.token, body: customers })).body.importId);
    const orders = [order('u1', 'o1', 12000, 'Banarasi Silk Saree'), order('u1', 'o2', 3000, 'Cotton Kurta', 200), order('u2', 'o3', 800, 'Masala Chai Tin'),
      order('u3', 'o4', 25000, 'Banarasi Silk Saree', 120), order('u4', 'o5', 400, 'Cotton Kurta'), order('u4', 'o6', 450, 'Masala Chai Tin', 5)];
    await importFinished(crm, marketer.token, (await call(`${crm.url}/api/orders`, { token: marketer.token, body: orders })).body.importId);
  });
  afterAll(() => crm?.stop());

  it('counts places, products and countries as the data spells them, and says what it corrected', async () => {
    const british = await ask('how many British customers bought kurtas?');
    const [preview] = toolCalls(british.chunks);
    expect(preview.input.rules.all).toHaveLength(2);
    expect(preview.input.rules.all).toEqual(expect.arrayContaining([{ field: 'country', op: 'equals', value: 'United Kingdom' }, { bought: { contains: 'kurta' } }]));
    expect(preview.output.count).toBe(1);
    const typo = await ask('custmers in Mumbia who bought sarees');
    expect(toolCalls(typo.chunks)[0].output.count).toBe(1);
    expect(typo.text).toContain('I read "custmers" as "customers", "Mumbia" as "Mumbai"');
  });

  it('asks about a place or product the data does not hold, with the nearest it does, and counts nothing', async () => {
    const place = await ask('customers in Punee or Nagpur');
    expect(toolCalls(place.chunks)).toEqual([]);
    expect(place.text).toMatch(/no city or country "Nagpur" in the data/);
    const product = await ask('who bought a snowboard?');
    expect(toolCalls(product.chunks)).toEqual([]);
    expect(product.text).toMatch(/No product in the catalogue is described as "snowboard"/);
    const nationality = await ask('French customers');
    expect(toolCalls(nationality.chunks)).toEqual([]);
    expect(nationality.text).toMatch(/no customers in France in the data/);
  });

  it('reads a city that arrives by import on the very next turn', async () => {
    expect(toolCalls((await ask('customers in Kochi')).chunks)).toEqual([]);
    await importFinished(crm, marketer.token, (await call(`${crm.url}/api/customers`, { token: marketer.token, body: { externalId: 'u6', name: 'Kiran Das', city: 'Kochi', country: 'India' } })).body.importId);
    const after = await ask('customers in Kochi');
    expect(toolCalls(after.chunks)[0].output.count).toBe(1);
  });

  it('states the definition it took for a descriptive word, with the figure from the data', async () => {
    const turn = await ask('VIPs in Pune');
    const [preview] = toolCalls(turn.chunks);
    const threshold = (preview.input.rules as { all: { field: string; value: number }[] }).all.find((c) => c.field === 'total_spend')!.value;
    // The top 10% of customers who ordered, by spend: the 90th percentile computed here independently.
    const [{ p90 }] = await crm.db.sql.rows<{ p90: string }>(`select percentile_disc(0.9) within group (order by total_spend) as p90 from customers where order_count > 0`);
    expect(threshold).toBe(Math.floor(Number(p90)));
    expect(turn.text).toMatch(/VIPs: I took the top 10% of customers by total spend, ₹[\d,]+ or more; say so if you meant something else/);
    expect(preview.output.count).toBe(await count(`city = 'Pune' and total_spend >= ${threshold}`));
  });

  it('ranks customers by a figure, narrowed by a rule', async () => {
    const turn = await ask('top 2 customers by spend in India');
    const [ranking] = toolCalls(turn.chunks);
    expect(ranking.toolName).toBe('rank_customers');
    const expected = await crm.db.sql.rows<{ name: string }>(`select name from customers where country = 'India' order by total_spend desc, id limit 2`);
    expect(ranking.output.customers.map((c: { name: string }) => c.name)).toEqual(expected.map((r) => r.name));
    expect(turn.text).toMatch(/The top 2 by total spend:\n1\. #\d+ Meera Nair, Pune — ₹25,000/);
    // The lowest spenders are customers who spent little, not those who never ordered.
    const lowest = toolCalls((await ask('the 2 lowest spenders')).chunks)[0];
    expect(lowest.output.customers.map((c: { name: string }) => c.name)).toEqual(['Ravi Iyer', 'Emma Smith']);
  });

  it('follows up on the audience just counted: narrow it, leave some out, change a figure', async () => {
    const conversation = newConversation();
    await ask('customers who spent over 500', conversation);
    const only = await ask('only those in Mumbai', conversation);
    expect(toolCalls(only.chunks)[0].output.count).toBe(await count(`total_spend > 500 and city = 'Mumbai'`));
    const exclude = await ask('exclude the gmail users', conversation);
    expect(toolCalls(exclude.chunks)[0].input.rules).toEqual({ all: [{ field: 'total_spend', op: 'gt', value: 500 }, { field: 'city', op: 'equals', value: 'Mumbai' }, { not: { field: 'email_domain', op: 'equals', value: 'gmail.com' } }] });
    expect(toolCalls(exclude.chunks)[0].output.count).toBe(1);
    const other = await ask('what about 10k?', conversation);
    expect(toolCalls(other.chunks)[0].output.count).toBe(await count(`total_spend > 10000 and city = 'Mumbai' and email not like '%@gmail.com'`));
  });

  it("finds a customer by name: one match shows their profile, several ask which", async () => {
    const one = await ask('tell me about Emma Smith');
    expect(toolCalls(one.chunks).map((c) => c.toolName)).toEqual(['search_customers', 'get_customer']);
    expect(one.text).toMatch(/Emma Smith <emma@outlook.com>, London, United Kingdom: ₹850 over 2 orders, last on \d{4}-\d{2}-\d{2}\. Latest orders: /);
    const several = await ask('look up Asha');
    expect(toolCalls(several.chunks).map((c) => c.toolName)).toEqual(['search_customers']);
    expect(several.text).toMatch(/2 customers match; which one do you mean\?\n- #\d+ Asha Rao/);
  });
});
