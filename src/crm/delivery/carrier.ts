import type { Channel } from '../campaigns/audience.js';
import type { SuppressionReason } from '../consent/consent-rules.js';

/** One message as a carrier needs it: frozen at launch, with its own Message-ID and unsubscribe link. */
export interface OutgoingMessage {
  id: number;
  campaignId: number;
  customerId: number;
  channel: Channel;
  address: string;
  subject: string | null;
  preheader: string | null;
  message: string;
  messageId: string;
  unsubscribeUrl: string;
  /**
   * Tracking addresses: the open pixel (email only) and one per link of the message, in order (for SMS, short
   * links); null when tracking is off.
   */
  tracking?: { open: string | null; clicks: string[] } | null;
}

/**
 * What a carrier made of one message:
 * - `sent`: handed over and accepted for delivery (an SMTP 250); bounces may still come later;
 * - `submitted`: accepted by a provider that reports the outcome later (Twilio's status callback);
 * - `retry`: certainly not sent, and worth trying again later (SMTP 4xx, HTTP 429 or 5xx); uses up an attempt;
 * - `wait`: certainly not sent because the carrier itself could not be used (down, refused the login or the
 *   sender): no message is to blame, so it waits without using up its attempts and is sent when the carrier is back;
 * - `failed`: refused for good, in the provider's words; `suppress` puts the address on the suppression list;
 * - `unknown`: the answer was lost after the message left (a connection cut after the data was sent): it may
 *   have arrived, so it is never sent again.
 */
export type Outcome =
  | { id: number; result: 'sent' | 'submitted'; providerId: string }
  | { id: number; result: 'retry' | 'wait' | 'unknown'; reason: string }
  | { id: number; result: 'failed'; reason: string; suppress?: SuppressionReason };

/** A real channel to customers: SMTP for email, Twilio for SMS. */
export interface Carrier {
  /** How the carrier is named to people ("the mail server at smtp.example.com:587"), never with its credentials. */
  readonly description: string;
  send(messages: OutgoingMessage[]): Promise<Outcome[]>;
  /** Checks the connection and login without sending anything, for /healthz and `crm channel test`. */
  check(): Promise<string>;
  close(): Promise<void>;
}
