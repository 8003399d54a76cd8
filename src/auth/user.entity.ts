import { defineEntity, p } from '@mikro-orm/core';
import { roles } from './roles.js';

const UserSchema = defineEntity({
  name: 'User',
  tableName: 'users',
  properties: {
    id: p.bigint('number').primary(),
    email: p.string(),
    name: p.string().default(''),
    role: p.enum(roles),
    passwordHash: p.string().nullable().hidden(),
    oidcSubject: p.string().nullable(),
    slackUserId: p.string().nullable(),
    disabledAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class User extends UserSchema.class {}
UserSchema.setClass(User);
