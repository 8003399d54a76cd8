import { z } from 'zod';
import { defineTool } from './crm-tool.js';

const customer = z.object({ id: z.number(), externalId: z.string(), name: z.string().nullable(), email: z.string().nullable(), city: z.string().nullable(), totalSpend: z.string(), orderCount: z.number(), lastOrderAt: z.string().nullable(), unsubscribed: z.boolean() });

export const searchCustomers = defineTool({
  name: 'search_customers',
  description: 'Find customers whose name, email, phone or external id contains the text; biggest spenders first, at most 20, with the total number found.',
  input: z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(20).default(10) }),
  output: z.object({ total: z.number(), customers: z.array(customer) }),
  risk: 'read',
  permission: 'customers.read',
  execute: ({ query, limit }, { actor, services }) => services.customers.search(actor, query, limit),
});

export const getCustomer = defineTool({
  name: 'get_customer',
  description: 'One customer with their figures, ten most recent orders and ten most recent campaign messages.',
  input: z.object({ customerId: z.number().int().positive() }),
  output: customer.extend({ recentOrders: z.array(z.unknown()), recentMessages: z.array(z.unknown()) }),
  risk: 'read',
  permission: 'customers.read',
  execute: ({ customerId }, { actor, services }) => services.customers.get(actor, customerId),
});
