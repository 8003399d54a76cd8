import { Migration } from '@mikro-orm/migrations';

// Uploaded import files, kept in the database until their import ends: the worker that runs an import may be on
// another machine than the server that received the file, and the container's own disk is not for keeping.
export class Migration20261217000000_stored_uploads extends Migration {
  override up(): void {
    this.addSql(`
      create table upload_chunks (
        upload_id uuid not null,
        seq integer not null,
        bytes bytea not null,
        created_at timestamptz not null default now(),
        primary key (upload_id, seq)
      );
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists upload_chunks;`);
  }
}
