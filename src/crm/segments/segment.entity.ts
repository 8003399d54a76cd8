import { defineEntity, p } from '@mikro-orm/core';

// A segment is dynamic: its rules are evaluated whenever it is used. Each edit keeps the old rules as a version.
const SegmentSchema = defineEntity({
  name: 'Segment',
  tableName: 'segments',
  properties: {
    id: p.bigint('number').primary(),
    name: p.string(),
    description: p.string().default(''),
    rules: p.json<unknown>(),
    version: p.integer().default(1),
    createdBy: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    deletedAt: p.datetime().nullable(),
  },
});

export class Segment extends SegmentSchema.class {}
SegmentSchema.setClass(Segment);
