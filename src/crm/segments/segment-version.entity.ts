import { defineEntity, p } from '@mikro-orm/core';
import { Segment } from './segment.entity.js';

const SegmentVersionSchema = defineEntity({
  name: 'SegmentVersion',
  tableName: 'segment_versions',
  properties: {
    segment: () => p.manyToOne(Segment).ref().primary(),
    version: p.integer().primary(),
    rules: p.json<unknown>(),
    createdBy: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class SegmentVersion extends SegmentVersionSchema.class {}
SegmentVersionSchema.setClass(SegmentVersion);
