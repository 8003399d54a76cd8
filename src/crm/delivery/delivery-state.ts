/**
 * The states of a message and the only way they move: forward. queued (frozen at launch) → sending (claimed for
 * an SMTP or Twilio request) or submitted (the vendor accepted it) → unconfirmed (no receipt in time, or caught in
 * sending by a crash) → sent, failed or skipped (settled). A receipt may skip states (it can overtake the vendor's
 * answer to the batch), and sent, failed and skipped are final: a late or repeated receipt changes nothing. The one
 * step back is the sender's own: a message it claimed and the carrier certainly did not take (SMTP 4xx, a server
 * that is down) goes back to queued for a later attempt; see carrier-delivery.ts.
 */
export const deliveryRank = { queued: 0, sending: 1, submitted: 1, unconfirmed: 2, sent: 3, failed: 3, delivered: 3, skipped: 3 } as const;
export type DeliveryState = keyof typeof deliveryRank;

export function canMove(from: DeliveryState, to: DeliveryState): boolean {
  return deliveryRank[to] > deliveryRank[from];
}

export const receiptState = { SENT: 'sent', FAILED: 'failed' } as const satisfies Record<string, DeliveryState>;
