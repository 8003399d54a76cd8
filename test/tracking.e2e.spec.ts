import { addCustomers, waitForCampaign } from './support/campaign-helpers.js';
import { SmtpSink } from './support/smtp-sink.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

// Opens and clicks of emails that really went out over SMTP: the links in each received email lead through the CRM
// to the marketer's own links only, and machines are told apart from people.
describe('open and click tracking', () => {
  const sink = new SmtpSink();
  let crm: TestCrm;
  let marketer: { token: string };
  const get = (url: string, ua = BROWSER) => fetch(url, { redirect: 'manual', headers: { 'user-agent': ua } });
  const launch = async (name: string, city: string, extra: Record<string, unknown> = {}) => {
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name, rules: { field: 'city', op: 'equals', value: city }, channel: 'email', subject: 'Sale', template: 'Hi {{first_name}}, the sale: https://shop.example/sale?x=1&y=2 and <a href="https://shop.example/new">new in</a>, or https://shop.example/outlet.', ...extra } });
    const { campaignId } = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } })).body;
    await waitForCampaign(crm, marketer.token, campaignId);
    // Handed over a minute ago: opens and clicks in the first seconds are scanners', not readers'.
    await crm.db.sql.query(`update communication_logs set sent_at = now() - interval '1 minute' where campaign_id = $1`, [campaignId]);
    return campaignId as number;
  };
  const links = (address: string) => [...(sink.to(address)[0].parsed.html as string).matchAll(/href="([^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1]);
  const pixel = (address: string) => /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(sink.to(address)[0].parsed.html as string)?.[1];

  beforeAll(async () => {
    await sink.start();
    crm = await startTestCrm({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', SEED_ON_EMPTY: 'false' });
    marketer = await crm.person('marketer');
  });
  afterAll(async () => {
    await crm.stop();
    await sink.stop();
  });

  it('rewrites every link of the email, redirects only to them, records opens and clicks, and leaves machines out of the rates', async () => {
    await addCustomers(crm, ['asha', 'ravi', 'meera'].map((n) => ({ name: n, email: `${n}@example.com`, city: 'Clickpur' })));
    const id = await launch('Tracked', 'Clickpur');
    const [sale, fresh, outlet] = links('asha@example.com');
    expect(links('asha@example.com')).toHaveLength(3);
    expect(sink.to('asha@example.com')[0].parsed.text).toContain(sale);

    // Asha opens and clicks two links.
    expect((await get(pixel('asha@example.com')!)).headers.get('content-type')).toBe('image/gif');
    const toSale = await get(sale);
    expect(toSale.status).toBe(302);
    expect(toSale.headers.get('location')).toBe('https://shop.example/sale?x=1&y=2');
    expect((await get(fresh)).headers.get('location')).toBe('https://shop.example/new');
    // Ravi's mail scanner clicks everything at once; Meera's security gateway announces itself.
    for (const link of links('ravi@example.com')) await get(link);
    await get(links('meera@example.com')[2], 'Mozilla/5.0 (compatible; Barracuda Sentinel link scanner)');
    // Events are written a batch at a time, within milliseconds.
    const clicks = await until('the clicks to be stored', async () => {
      const rows = await crm.db.sql.rows(`select machine, count(*)::int as n from message_events where kind = 'click' group by 1 order by 1`);
      return rows.reduce((sum, r) => sum + r.n, 0) === 6 && rows;
    });
    expect(clicks).toEqual([{ machine: false, n: 4 }, { machine: true, n: 2 }]);

    // Changed tokens lead nowhere and record nothing; the pixel answers the same either way.
    const before = (await crm.db.sql.rows(`select count(*) as n from message_events`))[0].n;
    const [body, mac] = outlet.split('/t/c/')[1].split('.');
    const moved = `${crm.url}/t/c/${Buffer.from(Buffer.from(body, 'base64url').toString().replace(/\.2$/, '.9')).toString('base64url')}.${mac}`;
    const forged = await get(moved);
    expect(forged.status).toBe(404);
    expect(forged.headers.get('location')).toBeNull();
    expect((await get(`${crm.url}/t/c/${'x'.repeat(20)}.${'y'.repeat(16)}`)).status).toBe(404);
    expect((await get(`${crm.url}/t/o/nonsense`)).headers.get('content-type')).toBe('image/gif');
    await new Promise((r) => setTimeout(r, 200)); // longer than a batch waits
    expect((await crm.db.sql.rows(`select count(*) as n from message_events`))[0].n).toBe(before);

    const report = await call(`${crm.url}/api/tools/get_campaign_report`, { token: marketer.token, body: { campaignId: id } });
    // Ravi's first two clicks came before the burst was recognised, so they count as his, as a person's would.
    expect(report.body.engagement).toEqual({ tracking: true, delivered: 3, opened: 2, clicked: 2, openRate: 0.6667, clickRate: 0.6667, machineOpens: 0, machineClicks: 2 });
  });

  it('tracks nothing in a campaign that turns it off, and still links the addresses', async () => {
    await addCustomers(crm, [{ name: 'Private', email: 'private@example.com', city: 'Quietpur' }]);
    const id = await launch('Untracked', 'Quietpur', { tracking: false });
    const html = sink.to('private@example.com')[0].parsed.html as string;
    expect(html).not.toMatch(/\/t\/[oc]\//);
    expect(html).toContain('<a href="https://shop.example/sale?x=1&amp;y=2"');
    const report = await call(`${crm.url}/api/tools/get_campaign_report`, { token: marketer.token, body: { campaignId: id } });
    expect(report.body.engagement).toMatchObject({ tracking: false, delivered: 1, opened: 0 });
  });
});
