// A refund is recorded as an order with status `refunded` and a negative total: it lowers the customer's spend
// and is not counted as an order. A cancelled order counts for nothing.
export const orderStatuses = ['pending', 'completed', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

/** Statuses whose total adds to the customer's spend. */
export const spendStatuses: readonly OrderStatus[] = ['pending', 'completed', 'refunded'];
/** Statuses that count as an order (a visit) for order count, first and last order dates. */
export const visitStatuses: readonly OrderStatus[] = ['pending', 'completed'];
