import { defineEntity, p } from '@mikro-orm/core';
import { Customer } from '../customers/customer.entity.js';
import { OrderLine } from './order-line.entity.js';
import { orderStatuses } from './order-status.js';

const OrderSchema = defineEntity({
  name: 'Order',
  tableName: 'orders',
  properties: {
    id: p.bigint('number').primary(),
    externalId: p.string().unique(),
    customer: () => p.manyToOne(Customer).ref(),
    placedAt: p.datetime(),
    status: p.enum(orderStatuses).default('completed'),
    total: p.decimal('string').precision(18).scale(3),
    lines: () => p.oneToMany(OrderLine).mappedBy('order'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Order extends OrderSchema.class {}
OrderSchema.setClass(Order);
