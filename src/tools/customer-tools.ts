import { z } from 'zod';
import { defineTool } from './crm-tool.js';
import { rankInput } from '../crm/customers/rank-input.js';

const channelConsent = z.object({
  status: z.enum(['granted', 'withdrawn']).nullable().describe('null: never asked (email may still be sent; SMS needs granted)'),
  source: z.string().nullable(), changedAt: z.string().nullable(),
});
const consent = z.object({ email: channelConsent, sms: channelConsent });
const customer = z.object({ id: z.number(), externalId: z.string(), name: z.string().nullable(), email: z.string().nullable(), city: z.string().nullable(), country: z.string().nullable(), totalSpend: z.string(), orderCount: z.number(), lastOrderAt: z.string().nullable(), unsubscribed: z.boolean() });

export const searchCustomers = defineTool({
  name: 'search_customers',
  description: 'Find customers whose name, email, phone or external id contains the text; biggest spenders first, at most 20, with the total number found.',
  input: z.object({ query: z.string().trim().min(1).max(200), limit: z.number().int().min(1).max(20).default(10) }),
  output: z.object({ total: z.number(), customers: z.array(customer) }),
  risk: 'read',
  permission: 'customers.read',
  execute: ({ query, limit }, { actor, services }) => services.customers.search(actor, query, limit),
});

export const rankCustomers = defineTool({
  name: 'rank_customers',
  description: 'The first customers by a figure — total spend, number of orders, average order value or last order date — among those a rule matches, or among everyone: "top 10 customers by spend in Pune", "our 5 most frequent shoppers". At most 100 at a time; offset gives the next ones. Also says how many customers the rule matches.',
  input: rankInput,
  output: z.object({ by: z.string(), direction: z.enum(['desc', 'asc']), total: z.number().describe('How many customers the rule matches (everyone without one)'), customers: z.array(customer.extend({ averageOrderValue: z.string().nullable() })) }),
  risk: 'read',
  permission: 'customers.read',
  execute: (input, { actor, services, signal }) => services.customers.rank(actor, input, signal),
});

export const getCustomer = defineTool({
  name: 'get_customer',
  description: 'One customer with their figures, consent per channel (email, sms), suppressed addresses, ten most recent orders, ten most recent campaign messages (opened, clicked) and the saved segments they are in.',
  input: z.object({ customerId: z.number().int().positive() }),
  output: customer.extend({
    consent: consent.describe('Consent per channel, with where it came from and when'),
    suppressed: z.array(z.object({ channel: z.enum(['email', 'sms']), reason: z.string(), since: z.string() })).describe('Addresses of this customer on the suppression list (hard bounce, complaint, STOP, manual)'),
    firstOrderAt: z.string().nullable(), averageOrderValue: z.string().nullable(), createdAt: z.string(),
    recentOrders: z.array(z.object({
      id: z.number(), externalId: z.string(), placedAt: z.string(), status: z.string(), total: z.string(),
      lines: z.array(z.object({ description: z.string().nullable(), sku: z.string().nullable(), quantity: z.number(), unitPrice: z.union([z.string(), z.number()]) })),
    })).describe('The ten latest orders, each with its lines'),
    recentMessages: z.array(z.object({ campaignId: z.number(), campaign: z.string(), channel: z.string(), status: z.string(), at: z.string(), opened: z.boolean(), clicked: z.boolean() }))
      .describe('The ten latest campaign messages, what became of them, and whether the customer opened or clicked them'),
    segments: z.array(z.object({ id: z.number(), name: z.string() })).nullable().describe('The saved segments this customer is in now; null when they could not be checked just now'),
  }),
  risk: 'read',
  permission: 'customers.read',
  execute: ({ customerId }, { actor, services }) => services.customers.get(actor, customerId),
});

export const changeConsent = defineTool({
  name: 'change_consent',
  description: 'Record a customer\'s consent for email or SMS: granted (they opted in) or withdrawn (they opted out), with where it comes from, e.g. "signed form in the Pune store". Audited. A withdrawn consent excludes them from that channel\'s campaigns at once.',
  input: z.object({
    customerId: z.number().int().positive(), channel: z.enum(['email', 'sms']), status: z.enum(['granted', 'withdrawn']),
    source: z.string().trim().min(3).max(200).describe('Where this consent comes from'),
  }).strict(),
  output: z.object({ customerId: z.number(), consent }),
  risk: 'write',
  permission: 'customers.write',
  execute: ({ customerId, channel, status, source }, { actor, services }) => services.consent.change(actor, customerId, channel, status, source),
});
