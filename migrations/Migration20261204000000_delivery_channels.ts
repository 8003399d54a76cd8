import { Migration } from '@mikro-orm/migrations';

// Real delivery needs, beside each message, what a mailbox provider or a carrier will ask about later:
// - consent per customer and channel, with where it came from and when (email may be sent unless withdrawn; SMS
//   only to customers who granted it);
// - a suppression list of addresses that must never be contacted again whatever the customer record says (a hard
//   bounce, a complaint, an SMS STOP, an address an operator blocked);
// - a campaign's subject and preheader, and each message's rendered subject and its own Message-ID, which is what
//   bounce and complaint reports name;
// - 'sending' (claimed for an SMTP transaction: SMTP has no idempotency key, so a message caught in it by a crash
//   is never sent again) and 'skipped' (a message withdrawn after launch because the customer opted out since);
// - attempts and the time of the next one, for a mail server that answered "try again later";
// - provider events already taken, so a replayed webhook changes nothing;
// - a place for values the CRM makes itself, such as the key of unsubscribe links.
export class Migration20261204000000_delivery_channels extends Migration {
  override up(): void {
    this.addSql(`
      create table customer_consents (
        customer_id bigint not null references customers (id) on delete cascade,
        channel text not null check (channel in ('email', 'sms')),
        status text not null check (status in ('granted', 'withdrawn')),
        source text not null,
        changed_at timestamptz not null default now(),
        primary key (customer_id, channel)
      );

      create table suppressions (
        channel text not null check (channel in ('email', 'sms')),
        address text not null,
        reason text not null check (reason in ('hard_bounce', 'complaint', 'stop', 'manual', 'unsubscribe')),
        detail text,
        created_at timestamptz not null default now(),
        primary key (channel, address)
      );

      create table provider_events (
        provider text not null,
        event_id text not null,
        received_at timestamptz not null default now(),
        primary key (provider, event_id)
      );

      -- Values the CRM makes for itself once and keeps, such as the key that signs unsubscribe links (they must keep
      -- working after a restart, and nobody should have to configure one).
      create table crm_settings (
        key text primary key,
        value text not null
      );

      alter table campaigns add column subject text, add column preheader text;
      alter table communication_logs add column subject text, add column message_id text,
        add column attempts integer not null default 0, add column next_attempt_at timestamptz;
      alter table communication_logs drop constraint communication_logs_status_check;
      alter table communication_logs add constraint communication_logs_status_check
        check (status in ('queued', 'sending', 'submitted', 'sent', 'failed', 'delivered', 'unconfirmed', 'skipped'));
      create index communication_logs_message_id_idx on communication_logs (message_id) where message_id is not null;
      create index communication_logs_vendor_message_id_idx on communication_logs (vendor_message_id) where vendor_message_id is not null;
      create index communication_logs_sending_idx on communication_logs (sent_at) where status = 'sending';
    `);
  }

  override down(): void {
    this.addSql(`
      drop index if exists communication_logs_sending_idx;
      drop index if exists communication_logs_vendor_message_id_idx;
      drop index if exists communication_logs_message_id_idx;
      update communication_logs set status = 'unconfirmed' where status = 'sending';
      update communication_logs set status = 'failed' where status = 'skipped';
      alter table communication_logs drop constraint communication_logs_status_check;
      alter table communication_logs add constraint communication_logs_status_check
        check (status in ('queued', 'submitted', 'sent', 'failed', 'delivered', 'unconfirmed'));
      alter table communication_logs drop column subject, drop column message_id, drop column attempts, drop column next_attempt_at;
      alter table campaigns drop column subject, drop column preheader;
      drop table if exists crm_settings, provider_events, suppressions, customer_consents;
    `);
  }
}
