import { importText } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// A customer file carries consent ("Accepts Email Marketing" in a Shopify export); what a customer said no to, no
// later file can turn back into a yes.
describe('consent carried by imports', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(() => db.drop());
  const consents = () => db.sql.rows(
    `select c.external_id as id, k.channel, k.status, k.source from customer_consents k join customers c on c.id = k.customer_id order by 1, 2`,
  );
  const unsubscribed = async (id: string) => (await db.sql.rows(`select unsubscribed_at is not null as u from customers where external_id = $1`, [id]))[0].u;

  it('keeps the consent a file carries, and never resubscribes anyone who opted out', async () => {
    const first = await importText(db, 'customers.csv', [
      'Customer ID,Name,Email,Phone,Accepts Email Marketing,Accepts SMS Marketing,Unsubscribed',
      'C1,Asha Rao,asha@example.com,+91 98200 11111,yes,yes,no',
      'C2,Ravi Kumar,ravi@example.com,+91 98200 22222,no,no,yes',
      'C3,Meera Iyer,meera@example.com,,,maybe,no',
    ].join('\n'), { layout: 'customers' });
    expect(first).toMatchObject({ inserted: 2, rejected: 1 });
    expect(first.rejections).toEqual([{ position: 4, field: 'Accepts SMS Marketing', reason: '"maybe" is not yes or no' }]);
    expect(await consents()).toEqual([
      { id: 'C1', channel: 'email', status: 'granted', source: 'import' },
      { id: 'C1', channel: 'sms', status: 'granted', source: 'import' },
      { id: 'C2', channel: 'email', status: 'withdrawn', source: 'import' },
      { id: 'C2', channel: 'sms', status: 'withdrawn', source: 'import' },
    ]);

    // A later export that says yes for everyone (or "not unsubscribed") changes nothing for Ravi; Asha's own
    // opt-out in it is kept.
    const second = await importText(db, 'again.csv', [
      'Customer ID,Accepts Email Marketing,Accepts SMS Marketing,Unsubscribed',
      'C1,no,yes,no',
      'C2,yes,yes,no',
    ].join('\n'), { layout: 'customers' });
    expect(second).toMatchObject({ updated: 1, unchanged: 1 });
    expect(await consents()).toEqual([
      { id: 'C1', channel: 'email', status: 'withdrawn', source: 'import' },
      { id: 'C1', channel: 'sms', status: 'granted', source: 'import' },
      { id: 'C2', channel: 'email', status: 'withdrawn', source: 'import' },
      { id: 'C2', channel: 'sms', status: 'withdrawn', source: 'import' },
    ]);
    expect(await unsubscribed('C2')).toBe(true);
    expect(await unsubscribed('C1')).toBe(false);
  });
});
