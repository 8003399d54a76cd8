import { Migration } from '@mikro-orm/migrations';

// OpenID Connect sign-ins between the redirect to the provider and its answer: the answer may reach another server
// process than the one that sent the person away.
export class Migration20261218000000_pending_sign_ins extends Migration {
  override up(): void {
    this.addSql(`
      create table pending_sign_ins (
        state text primary key,
        verifier text not null,
        nonce text not null,
        return_to text not null,
        expires_at timestamptz not null
      );
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists pending_sign_ins;`);
  }
}
