import twilio from 'twilio';
import { replaceLinks } from '../../engagement/tracking-link.js';
import type { Config } from '../../../config/config.schema.js';
import type { Carrier, OutgoingMessage, Outcome } from '../carrier.js';

/** Where Twilio posts a message's later fate (sent, delivered, undelivered, failed). */
export const twilioStatusPath = '/api/webhooks/twilio/status';

interface TwilioFailure { status?: number; code?: number | string; message: string }

/**
 * What a refused request means for one message. Twilio's own "try later" (429, 5xx) uses an attempt; wrong
 * credentials or an unreachable API blame no message; a recipient who sent STOP to our number (21610) is
 * suppressed; any other 4xx is a refusal of this message in Twilio's words.
 */
export function twilioOutcome(id: number, error: TwilioFailure): Outcome {
  const words = `${error.message}${typeof error.code === 'number' ? ` (Twilio error ${error.code})` : ''}`.slice(0, 300);
  if (error.status === undefined) {
    return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'].includes(String(error.code))
      ? { id, result: 'wait', reason: `Twilio cannot be reached: ${words}` }
      : { id, result: 'unknown', reason: `Twilio's answer was lost (${words}); the message may have gone, so it is not sent again` };
  }
  if (error.status === 429 || error.status >= 500) return { id, result: 'retry', reason: `Twilio said try later: ${words}` };
  if (error.status === 401 || error.status === 403) return { id, result: 'wait', reason: `Twilio refused the account (check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN): ${words}` };
  if (error.code === 21610) return { id, result: 'failed', reason: `the customer has replied STOP to this number: ${words}`, suppress: 'stop' };
  return { id, result: 'failed', reason: `Twilio refused the message: ${words}` };
}

/** A phone number as Twilio wants it: E.164 when it was written with a leading +, otherwise as the customer gave it. */
const e164 = (phone: string) => (phone.trim().startsWith('+') ? `+${phone.replace(/\D/g, '')}` : phone.trim());

/** SMS through Twilio's Messages API with the official client; outcomes come back on signed status callbacks. */
export class TwilioCarrier implements Carrier {
  readonly description = 'Twilio';
  private readonly client: twilio.Twilio;

  constructor(private readonly config: Config) {
    this.client = twilio(config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN);
    if (config.TWILIO_API_URL) this.client.api.baseUrl = config.TWILIO_API_URL.replace(/\/$/, '');
  }

  async send(messages: OutgoingMessage[]): Promise<Outcome[]> {
    const statusCallback = new URL(twilioStatusPath, this.config.PUBLIC_URL).toString();
    const from = this.config.TWILIO_MESSAGING_SERVICE_SID ? { messagingServiceSid: this.config.TWILIO_MESSAGING_SERVICE_SID } : { from: this.config.TWILIO_FROM! };
    const outcomes: Outcome[] = [];
    // A few requests at a time: Twilio queues them itself and meters each sender (about one segment a second per
    // long code), so sending faster only earns 429s.
    for (let i = 0; i < messages.length; i += 10) {
      outcomes.push(...await Promise.all(messages.slice(i, i + 10).map(async (m): Promise<Outcome> => {
        try {
          const body = m.tracking ? replaceLinks(m.message, (url, i) => m.tracking!.clicks[i] ?? url) : m.message;
          const sent = await this.client.messages.create({ to: e164(m.address), body, statusCallback, ...from });
          return { id: m.id, result: 'submitted', providerId: sent.sid };
        } catch (error) {
          return twilioOutcome(m.id, error as TwilioFailure);
        }
      })));
    }
    return outcomes;
  }

  async check() {
    const account = await this.client.api.v2010.accounts(this.config.TWILIO_ACCOUNT_SID!).fetch();
    return `Twilio answered: account ${account.friendlyName} is ${account.status}`;
  }

  async close() {}
}
