/**
 * The states of a message and the only way they move: forward. queued (frozen at launch) → submitted (the vendor
 * accepted it) → unconfirmed (no receipt in time) → sent or failed (a receipt settled it). A receipt may skip states
 * (it can overtake the vendor's answer to the batch), but nothing ever moves a message back, and sent and failed are
 * final: a late or repeated receipt changes nothing.
 */
export const deliveryRank = { queued: 0, submitted: 1, unconfirmed: 2, sent: 3, failed: 3, delivered: 3 } as const;
export type DeliveryState = keyof typeof deliveryRank;

export function canMove(from: DeliveryState, to: DeliveryState): boolean {
  return deliveryRank[to] > deliveryRank[from];
}

export const receiptState = { SENT: 'sent', FAILED: 'failed' } as const satisfies Record<string, DeliveryState>;
