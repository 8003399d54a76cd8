import { defineEntity, p } from '@mikro-orm/core';
import { CustomerRepository } from './customer.repository.js';

// The spend and order figures are aggregates of the customer's orders, refreshed by the code that writes orders
// (see customer-aggregates.ts); nothing else assigns them.
const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  repository: () => CustomerRepository,
  properties: {
    id: p.bigint('number').primary(),
    externalId: p.string().unique(),
    name: p.string().nullable(),
    email: p.string().nullable(),
    phone: p.string().nullable(),
    city: p.string().nullable(),
    country: p.string().nullable(),
    tags: p.array().default([]),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    unsubscribedAt: p.datetime().nullable(),
    totalSpend: p.decimal('string').precision(18).scale(3).default('0'),
    orderCount: p.integer().default(0),
    firstOrderAt: p.datetime().nullable(),
    lastOrderAt: p.datetime().nullable(),
    averageOrderValue: p.decimal('string').precision(18).scale(3).nullable(),
  },
});

export class Customer extends CustomerSchema.class {}
CustomerSchema.setClass(Customer);
