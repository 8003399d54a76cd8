import type { Sql } from './sql.js';

/**
 * Forgets what nothing can use any more, a day after it stopped being usable: sign-ins to assistants nobody
 * answered, spent or expired OAuth codes and tokens, password throttles whose waits are long over, sign-ins with a
 * provider never finished, and uploaded files whose import was never created (a server that stopped between
 * receiving a file and recording its import). Run now and then by the outcomes worker; returns how many rows went.
 */
export async function forgetExpired(sql: Sql): Promise<number> {
  const statements = [
    `delete from oauth_requests where expires_at < now() - interval '1 day'`,
    `delete from oauth_codes where expires_at < now() - interval '1 day'`,
    `delete from oauth_tokens where expires_at < now() - interval '1 day'`,
    `delete from sign_in_throttles where coalesce(blocked_until, last_failure_at) < now() - interval '1 day'`,
    `delete from pending_sign_ins where expires_at < now() - interval '1 day'`,
    `delete from upload_chunks u where u.created_at < now() - interval '1 day'
       and not exists (select 1 from imports i where i.file_path = 'upload:' || u.upload_id::text)`,
  ];
  let gone = 0;
  for (const statement of statements) gone += (await sql.query(statement)).rowCount ?? 0;
  return gone;
}
