import { Migration } from '@mikro-orm/migrations';

// Conversations keep each chat message as the web chat shows it (its id, parts and metadata), so a conversation
// reopens exactly as it was left, approvals and tool cards included.
export class Migration20261123000000_conversations extends Migration {
  override up(): void {
    this.addSql(`
      alter table conversation_messages add column message_id text not null default '';
      alter table conversation_messages add column metadata jsonb;
    `);
  }

  override down(): void {
    this.addSql(`alter table conversation_messages drop column message_id, drop column metadata;`);
  }
}
