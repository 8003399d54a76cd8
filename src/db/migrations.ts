import { Migration20261120000000_initial } from '../../migrations/Migration20261120000000_initial.js';

// Every migration, oldest first. A migration is never edited after it lands: a change to the schema is a new entry here.
export const migrations = [{ name: 'Migration20261120000000_initial', class: Migration20261120000000_initial }];
