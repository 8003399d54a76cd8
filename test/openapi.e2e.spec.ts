import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

// The API document lists the routes the server really has (Nest's scan of its controllers); each must be described.
describe('the OpenAPI document', () => {
  let crm: TestCrm;
  beforeAll(async () => { crm = await startTestCrm({ RUN_WORKERS: 'false' }); });
  afterAll(() => crm.stop());

  it('describes every route the server has, and nothing it lacks', async () => {
    const doc = (await call(`${crm.url}/api/docs-json`)).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, { summary?: string }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, summary: op.summary })));
    expect(operations.filter((o) => !o.summary).map((o) => o.route)).toEqual([]);
    const routes = operations.map((o) => o.route);
    // A few that must be there, from each kind: controllers, each tool, and the routes outside Nest.
    expect(routes).toEqual(expect.arrayContaining(['POST /api/segments/preview', 'POST /api/auth/password', 'GET /api/imports/{id}', 'POST /api/tools/preview_segment', 'POST /mcp']));
    // Every route listed answers something other than "nothing at this address".
    const admin = await crm.person('admin');
    for (const route of routes.filter((r) => r.startsWith('GET /api/') && !r.includes('{'))) {
      const res = await call(`${crm.url}${route.slice(4)}`, { token: admin.token });
      expect({ route, status: res.status }).not.toEqual({ route, status: 404 });
    }
  });
});
