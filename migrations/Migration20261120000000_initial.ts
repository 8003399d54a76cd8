import { Migration } from '@mikro-orm/migrations';

// The first schema: people and permissions, the CRM's customers and orders, segments, campaigns and their
// communication logs, and the agent's conversations. Money is numeric(18,3): exact, and wide enough for
// unit prices quoted to a tenth of a paisa.
export class Migration20261120000000_initial extends Migration {
  override up(): void {
    this.addSql(`
      create table users (
        id bigserial primary key,
        email text not null,
        name text not null default '',
        role text not null check (role in ('admin', 'marketer', 'analyst')),
        password_hash text,
        oidc_subject text unique,
        slack_user_id text unique,
        disabled_at timestamptz,
        created_at timestamptz not null default now()
      );
      create unique index users_email_key on users (lower(email));

      create table sessions (
        id text primary key,
        user_id bigint not null references users(id) on delete cascade,
        csrf_token text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
      create index sessions_user_id_idx on sessions (user_id);

      create table api_tokens (
        id bigserial primary key,
        user_id bigint not null references users(id) on delete cascade,
        name text not null,
        role text not null check (role in ('admin', 'marketer', 'analyst')),
        token_hash text not null unique,
        token_prefix text not null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      create index api_tokens_user_id_idx on api_tokens (user_id);

      create table audit_events (
        id bigserial primary key,
        at timestamptz not null default now(),
        user_id bigint references users(id) on delete set null,
        actor text not null,
        surface text not null,
        action text not null,
        target text,
        details jsonb not null default '{}'
      );
      create index audit_events_at_idx on audit_events (at desc);

      create table customers (
        id bigserial primary key,
        external_id text not null unique,
        name text,
        email text,
        phone text,
        city text,
        country text,
        tags text[] not null default '{}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        unsubscribed_at timestamptz,
        total_spend numeric(18,3) not null default 0,
        order_count integer not null default 0,
        first_order_at timestamptz,
        last_order_at timestamptz,
        average_order_value numeric(18,3)
      );
      -- Segments filter on the aggregates and on place and address; each filter has an index to use.
      create index customers_total_spend_idx on customers (total_spend);
      create index customers_order_count_idx on customers (order_count);
      create index customers_average_order_value_idx on customers (average_order_value);
      create index customers_first_order_at_idx on customers (first_order_at);
      create index customers_last_order_at_idx on customers (last_order_at);
      create index customers_created_at_idx on customers (created_at);
      create index customers_city_idx on customers (lower(city));
      create index customers_country_idx on customers (lower(country));
      create index customers_email_domain_idx on customers (lower(split_part(email, '@', 2)));
      create index customers_tags_idx on customers using gin (tags);
      create index customers_subscribed_idx on customers (id) where unsubscribed_at is null;

      create table orders (
        id bigserial primary key,
        external_id text not null unique,
        customer_id bigint not null references customers(id) on delete cascade,
        placed_at timestamptz not null,
        status text not null default 'completed' check (status in ('pending', 'completed', 'refunded', 'cancelled')),
        total numeric(18,3) not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index orders_customer_placed_idx on orders (customer_id, placed_at);
      create index orders_placed_at_idx on orders (placed_at);

      create table order_lines (
        id bigserial primary key,
        order_id bigint not null references orders(id) on delete cascade,
        position integer not null,
        sku text,
        description text,
        quantity integer not null,
        unit_price numeric(18,3) not null,
        unique (order_id, position)
      );
      create index order_lines_sku_idx on order_lines (sku);

      create table segments (
        id bigserial primary key,
        name text not null,
        description text not null default '',
        rules jsonb not null,
        version integer not null default 1,
        created_by bigint references users(id) on delete set null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create unique index segments_name_key on segments (lower(name)) where deleted_at is null;

      create table segment_versions (
        segment_id bigint not null references segments(id) on delete cascade,
        version integer not null,
        rules jsonb not null,
        created_by bigint references users(id) on delete set null,
        created_at timestamptz not null default now(),
        primary key (segment_id, version)
      );

      create table campaigns (
        id bigserial primary key,
        name text not null,
        segment_id bigint references segments(id) on delete set null,
        segment_version integer,
        rules jsonb not null,
        channel text not null check (channel in ('email', 'sms')),
        template text not null,
        status text not null default 'draft' check (status in ('draft', 'sending', 'completed', 'failed', 'cancelled')),
        audience_size integer,
        created_by bigint references users(id) on delete set null,
        launched_by bigint references users(id) on delete set null,
        created_at timestamptz not null default now(),
        launched_at timestamptz,
        completed_at timestamptz
      );
      create index campaigns_created_at_idx on campaigns (created_at desc);

      create table communication_logs (
        id bigserial primary key,
        campaign_id bigint not null references campaigns(id) on delete cascade,
        customer_id bigint not null references customers(id) on delete cascade,
        channel text not null,
        address text not null,
        message text not null,
        status text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'delivered', 'unconfirmed')),
        vendor_message_id text,
        failure_reason text,
        created_at timestamptz not null default now(),
        sent_at timestamptz,
        receipt_at timestamptz,
        unique (campaign_id, customer_id)
      );
      create index communication_logs_customer_idx on communication_logs (customer_id);
      create index communication_logs_campaign_status_idx on communication_logs (campaign_id, status);

      create table conversations (
        id uuid primary key,
        user_id bigint not null references users(id) on delete cascade,
        surface text not null,
        title text not null default '',
        external_ref text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );
      create index conversations_user_idx on conversations (user_id, updated_at desc);
      create unique index conversations_external_ref_key on conversations (surface, external_ref) where external_ref is not null;

      create table conversation_messages (
        id bigserial primary key,
        conversation_id uuid not null references conversations(id) on delete cascade,
        position integer not null,
        role text not null check (role in ('system', 'user', 'assistant', 'tool')),
        parts jsonb not null,
        usage jsonb,
        created_at timestamptz not null default now(),
        unique (conversation_id, position)
      );
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists conversation_messages, conversations, communication_logs, campaigns, segment_versions,
        segments, order_lines, orders, customers, audit_events, api_tokens, sessions, users cascade;
    `);
  }
}
