import type { Config } from '../../config/config.schema.js';
import type { Channel } from '../campaigns/audience.js';
import type { Carrier } from './carrier.js';
import { describeSmtp, SmtpCarrier } from './email/smtp-carrier.js';
import { TwilioCarrier } from './sms/twilio-carrier.js';

/** Which way each channel leaves the CRM, in words for the plan, the pages and /healthz. */
export interface ChannelRoute { carrier: 'smtp' | 'twilio' | 'simulator'; description: string; real: boolean }

const simulated: ChannelRoute = {
  carrier: 'simulator', real: false,
  description: 'the built-in simulator: nothing leaves this machine and no customer receives anything',
};

export function channelRoutes(config: Config): Record<Channel, ChannelRoute> {
  return {
    email: config.SMTP_URL ? { carrier: 'smtp', real: true, description: describeSmtp(config.SMTP_URL) } : simulated,
    sms: config.TWILIO_ACCOUNT_SID ? { carrier: 'twilio', real: true, description: 'Twilio' } : simulated,
  };
}

/** The real carrier configured for one channel, or null when that channel goes to the simulator (the vendor). */
export function configuredCarrier(config: Config, channel: Channel): Carrier | null {
  if (channel === 'email' && config.SMTP_URL) {
    return new SmtpCarrier({
      url: config.SMTP_URL, connections: config.EMAIL_CONNECTIONS, ratePerSecond: config.EMAIL_RATE_PER_SECOND,
      sender: { address: config.EMAIL_FROM!, name: config.EMAIL_FROM_NAME ?? null, replyTo: config.EMAIL_REPLY_TO ?? null },
      bounceAddress: config.BOUNCE_ADDRESS ?? null,
    });
  }
  if (channel === 'sms' && config.TWILIO_ACCOUNT_SID) return new TwilioCarrier(config);
  return null;
}

/** The real carriers configured for this process; a channel without one goes to the simulator (the vendor). */
export function configuredCarriers(config: Config): Partial<Record<Channel, Carrier>> {
  const carriers: Partial<Record<Channel, Carrier>> = {};
  for (const channel of ['email', 'sms'] as const) {
    const carrier = configuredCarrier(config, channel);
    if (carrier) carriers[channel] = carrier;
  }
  return carriers;
}
