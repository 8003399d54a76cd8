import { userInfo } from 'node:os';
import { crmServices, type CrmServices } from '../app/crm-services.js';
import type { Actor } from '../auth/actor.js';
import type { Config } from '../config/config.schema.js';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { Sql } from '../db/sql.js';

export interface CliContext { config: Config; database: OpenDatabase; sql: Sql; services: CrmServices; actor: Actor; close(): Promise<void> }

/**
 * The CLI works on the same database as the server: when a server already runs the embedded PostgreSQL, the CLI
 * joins it instead of starting a second one. Whoever runs the CLI on the server acts as an operator (admin).
 */
export async function openCliContext(config: Config): Promise<CliContext> {
  const database = await openDatabase(config, { share: true, poolMax: 4 });
  const sql = new Sql(database.url, { max: 4 });
  const actor: Actor = { userId: null, email: `cli:${userInfo().username}`, role: 'admin', surface: 'cli' };
  return {
    config, database, sql, services: crmServices(sql, config), actor,
    async close() {
      await sql.close();
      await database.close();
    },
  };
}
