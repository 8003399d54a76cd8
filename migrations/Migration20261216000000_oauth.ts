import { Migration } from '@mikro-orm/migrations';

// OAuth 2.1 for AI assistants that connect to /mcp: clients they register themselves, sign-ins waiting for a
// person's consent, single-use codes, and tokens bound to one person, one client and the MCP resource. Only hashes
// of codes and tokens are kept.
export class Migration20261216000000_oauth extends Migration {
  override up(): void {
    this.addSql(`
      create table oauth_clients (
        client_id text primary key,
        client_name text,
        redirect_uris text[] not null,
        metadata jsonb not null,
        created_at timestamptz not null default now(),
        revoked_at timestamptz
      );
      create table oauth_requests (
        id uuid primary key,
        client_id text not null references oauth_clients (client_id) on delete cascade,
        redirect_uri text not null,
        state text,
        code_challenge text not null,
        scopes text[] not null,
        resource text not null,
        expires_at timestamptz not null,
        decided_at timestamptz
      );
      create table oauth_codes (
        code_hash text primary key,
        client_id text not null references oauth_clients (client_id) on delete cascade,
        user_id bigint not null references users (id) on delete cascade,
        redirect_uri text not null,
        code_challenge text not null,
        scopes text[] not null,
        resource text not null,
        family uuid not null,
        expires_at timestamptz not null,
        used_at timestamptz
      );
      create table oauth_tokens (
        token_hash text primary key,
        kind text not null check (kind in ('access', 'refresh')),
        client_id text not null references oauth_clients (client_id) on delete cascade,
        user_id bigint not null references users (id) on delete cascade,
        scopes text[] not null,
        resource text not null,
        -- Every token from one consent shares a family: a replayed code or refresh token revokes them all.
        family uuid not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        revoked_at timestamptz
      );
      create index oauth_tokens_family_idx on oauth_tokens (family);
      create index oauth_tokens_user_idx on oauth_tokens (user_id);
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists oauth_tokens, oauth_codes, oauth_requests, oauth_clients;`);
  }
}
