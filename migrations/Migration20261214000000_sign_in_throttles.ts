import { Migration } from '@mikro-orm/migrations';

// Wrong passwords counted per account and per address, in the database so that every server process behind one
// address counts the same attempts. A row goes when its account signs in or an admin unlocks it.
export class Migration20261214000000_sign_in_throttles extends Migration {
  override up(): void {
    this.addSql(`
      create table sign_in_throttles (
        key text primary key,
        failures integer not null,
        last_failure_at timestamptz not null,
        blocked_until timestamptz
      );
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists sign_in_throttles;`);
  }
}
