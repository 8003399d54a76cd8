import { ApiToken } from '../auth/api-token.entity.js';
import { Session } from '../auth/session.entity.js';
import { User } from '../auth/user.entity.js';

// MikroORM maps only what it is used for: people, their web sessions and their API tokens (and it runs the
// migrations). Everything else goes through plain SQL (src/db/sql.ts).
export const entities = [User, Session, ApiToken];
