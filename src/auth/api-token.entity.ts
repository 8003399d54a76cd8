import { defineEntity, p } from '@mikro-orm/core';
import { roles } from './roles.js';
import type { Scope } from './scopes.js';
import { User } from './user.entity.js';

// Only a hash of the token is kept; the token itself is shown once, when it is made.
const ApiTokenSchema = defineEntity({
  name: 'ApiToken',
  tableName: 'api_tokens',
  properties: {
    id: p.bigint('number').primary(),
    user: () => p.manyToOne(User).ref(),
    name: p.string(),
    role: p.enum(roles),
    scopes: p.array().$type<Scope[]>(),
    tools: p.array().nullable(),
    tokenHash: p.string().hidden(),
    tokenPrefix: p.string(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export class ApiToken extends ApiTokenSchema.class {}
ApiTokenSchema.setClass(ApiToken);
