import { forgetExpired } from '../src/db/housekeeping.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// What nothing can use any more goes a day after; what may still be used stays.
describe('forgetting what expired', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('removes spent OAuth grants, old throttles, unfinished sign-ins and orphaned uploads, and keeps the rest', async () => {
    const [user] = await db.sql.rows(`insert into users (email, role) values ('h@example.com', 'marketer') returning id`);
    await db.sql.query(`insert into oauth_clients (client_id, redirect_uris, metadata) values ('c1', '{https://a.example/cb}', '{}')`);
    for (const [hash, days] of [['old', -3], ['fresh', 1]] as const) {
      await db.sql.query(`insert into oauth_tokens (token_hash, kind, client_id, user_id, scopes, resource, family, expires_at) values ($1, 'access', 'c1', $2, '{read}', 'x', gen_random_uuid(), now() + make_interval(days => $3))`, [hash, user.id, days]);
      await db.sql.query(`insert into oauth_codes (code_hash, client_id, user_id, redirect_uri, code_challenge, scopes, resource, family, expires_at) values ($1, 'c1', $2, 'https://a.example/cb', 'x', '{read}', 'x', gen_random_uuid(), now() + make_interval(days => $3))`, [hash, user.id, days]);
      await db.sql.query(`insert into pending_sign_ins (state, verifier, nonce, return_to, expires_at) values ($1, 'v', 'n', '/', now() + make_interval(days => $2))`, [hash, days]);
      await db.sql.query(`insert into sign_in_throttles (key, failures, last_failure_at) values ($1, 1, now() + make_interval(days => $2))`, [hash, days]);
    }
    const orphan = '11111111-1111-4111-8111-111111111111';
    const kept = '22222222-2222-4222-8222-222222222222';
    await db.sql.query(`insert into upload_chunks (upload_id, seq, bytes, created_at) values ($1, 0, 'a', now() - interval '2 days'), ($2, 0, 'b', now() - interval '2 days')`, [orphan, kept]);
    await db.sql.query(`insert into imports (id, layout, source, file_name, file_path, options) values (gen_random_uuid(), null, 'upload', 'f.csv', $1, '{}')`, [`upload:${kept}`]);

    expect(await forgetExpired(db.sql)).toBe(5);
    const left = async (table: string, column: string) => (await db.sql.rows(`select ${column} as k from ${table} order by 1`)).map((r) => String(r.k));
    expect(await left('oauth_tokens', 'token_hash')).toEqual(['fresh']);
    expect(await left('oauth_codes', 'code_hash')).toEqual(['fresh']);
    expect(await left('pending_sign_ins', 'state')).toEqual(['fresh']);
    expect(await left('sign_in_throttles', 'key')).toEqual(['fresh']);
    expect(await left('upload_chunks', 'upload_id')).toEqual([kept]);
  });
});
