import { defineEntity, p } from '@mikro-orm/core';
import { Order } from './order.entity.js';

const OrderLineSchema = defineEntity({
  name: 'OrderLine',
  tableName: 'order_lines',
  properties: {
    id: p.bigint('number').primary(),
    order: () => p.manyToOne(Order).ref(),
    position: p.integer(),
    sku: p.string().nullable(),
    description: p.string().nullable(),
    quantity: p.integer(),
    unitPrice: p.decimal('string').precision(18).scale(3),
  },
});

export class OrderLine extends OrderLineSchema.class {}
OrderLineSchema.setClass(OrderLine);
