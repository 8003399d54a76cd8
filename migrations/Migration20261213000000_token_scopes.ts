import { Migration } from '@mikro-orm/migrations';

// What each API token may do within its person's role. Tokens made before scopes existed keep reading and
// changing data, as they did; none of them may send on its own (a person approves their sends).
export class Migration20261213000000_token_scopes extends Migration {
  override up(): void {
    this.addSql(`
      alter table api_tokens add column scopes text[] not null default '{read,write}';
      update api_tokens set scopes = '{read}' where role = 'analyst';
      alter table api_tokens add column tools text[];
    `);
  }

  override down(): void {
    this.addSql(`alter table api_tokens drop column scopes, drop column tools;`);
  }
}
