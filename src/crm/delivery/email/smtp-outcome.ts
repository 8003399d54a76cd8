import type { Outcome } from '../carrier.js';

/** The parts of a nodemailer error that say what the mail server did. */
export interface SmtpError { code?: string; command?: string; responseCode?: number; response?: string; message: string }

const words = (e: SmtpError) => (e.response ?? e.message).replace(/\s+/g, ' ').trim().slice(0, 300);

// Failures before any message could be handed over: no connection, no greeting, no TLS, no login.
const neverConnected = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EAUTH|ETLS|EDNS|Greeting never received|certificate|wrong version number/i;

/**
 * What an SMTP failure means for one message. A 4xx to the recipient or the data is "try again later"; a 5xx to
 * the recipient is a hard bounce (the address is suppressed when the server says it does not exist), and to the data a
 * refusal of this message. Failures of the connection, the login or the sender (MAIL FROM) blame no message: the
 * campaign waits for the server. A connection lost once it was open may have delivered the message (nodemailer
 * cannot say whether it broke before or after the data went), so that message is unknown and never sent again.
 */
export function smtpOutcome(id: number, error: SmtpError, server: string): Outcome {
  const code = error.responseCode;
  const command = (error.command ?? '').toUpperCase();
  const perMessage = command.startsWith('RCPT') || command === 'DATA' || command === 'MESSAGE';
  if (code && code >= 400 && code < 500) {
    return perMessage ? { id, result: 'retry', reason: `${server} said try later: ${words(error)}` } : { id, result: 'wait', reason: `${server} is not taking mail now: ${words(error)}` };
  }
  if (code && code >= 500) {
    if (command.startsWith('RCPT')) {
      const unknownMailbox = /\b5\.1\.[0-9]\b/.test(error.response ?? '') || [550, 551, 553].includes(code);
      return { id, result: 'failed', reason: `${server} refused the address: ${words(error)}`, ...(unknownMailbox ? { suppress: 'hard_bounce' as const } : {}) };
    }
    if (command === 'DATA' || command === 'MESSAGE') return { id, result: 'failed', reason: `${server} refused the message: ${words(error)}` };
    if (command.startsWith('AUTH')) return { id, result: 'wait', reason: `${server} refused the login (check the user and password in SMTP_URL): ${words(error)}` };
    if (command.startsWith('MAIL')) return { id, result: 'wait', reason: `${server} refused the sender address (check EMAIL_FROM): ${words(error)}` };
    return { id, result: 'wait', reason: `${server} refused: ${words(error)}` };
  }
  if (neverConnected.test(`${error.code ?? ''} ${error.message}`)) return { id, result: 'wait', reason: `${server} cannot be reached: ${words(error)}` };
  return { id, result: 'unknown', reason: `the connection to ${server} was lost while the message was being handed over (${words(error)}); it may have arrived, so it is not sent again` };
}
