import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.js';

// The id is a hash of the cookie value: a stolen copy of the table opens no session.
const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.string().primary(),
    user: () => p.manyToOne(User).ref(),
    csrfToken: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
  },
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);
