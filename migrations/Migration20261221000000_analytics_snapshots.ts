import { Migration } from '@mikro-orm/migrations';

// Dashboard figures that take seconds to compute (a million customers' groups, a year of orders by month) are kept
// here and served while a fresh copy is computed behind them; figures that come quickly are never kept.
export class Migration20261221000000_analytics_snapshots extends Migration {
  override up(): void {
    this.addSql(`
      create table analytics_snapshots (
        name text primary key,
        figures jsonb not null,
        computed_at timestamptz not null,
        milliseconds integer not null
      );
    `);
  }

  override down(): void {
    this.addSql(`drop table if exists analytics_snapshots;`);
  }
}
