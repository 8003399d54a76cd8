import { defineEntity, p } from '@mikro-orm/core';

const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: p.bigint('number').primary(),
    at: p.datetime().onCreate(() => new Date()),
    userId: p.bigint('number').nullable(),
    actor: p.string(),
    surface: p.string(),
    action: p.string(),
    target: p.string().nullable(),
    details: p.json<Record<string, unknown>>(),
  },
});

export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
