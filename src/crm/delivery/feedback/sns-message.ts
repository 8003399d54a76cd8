import { createPublicKey, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/** An Amazon SNS message as SNS posts it over HTTP(S) (its JSON arrives with Content-Type text/plain). */
export const snsMessage = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1).max(100),
  TopicArn: z.string().min(1).max(256),
  Subject: z.string().max(200).optional(),
  Message: z.string().max(262_144),
  Timestamp: z.iso.datetime({ offset: true }),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1).max(2048),
  SigningCertURL: z.url(),
  SubscribeURL: z.url().optional(),
  Token: z.string().max(1024).optional(),
}).loose();
export type SnsMessage = z.output<typeof snsMessage>;

const REPLAY_WINDOW_MS = 60 * 60 * 1000;

/** The text SNS signs: chosen fields as "name\nvalue\n", in this order, as AWS documents it. */
export function snsStringToSign(m: SnsMessage): string {
  const fields = m.Type === 'Notification'
    ? ['Message', 'MessageId', ...(m.Subject !== undefined ? ['Subject'] : []), 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.map((f) => `${f}\n${(m as Record<string, unknown>)[f] ?? ''}\n`).join('');
}

const certificates = new Map<string, Promise<KeyObject>>();

/** The signing key behind a certificate URL, fetched once per URL (SNS rotates certificates rarely). */
function signingKey(url: string): Promise<KeyObject> {
  let key = certificates.get(url);
  if (!key) {
    key = fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error' }).then(async (res) => {
      if (!res.ok) throw new Error(`the certificate at ${url} answered ${res.status}`);
      return createPublicKey(new X509Certificate(await res.text()).publicKey.export({ type: 'spki', format: 'pem' }));
    });
    key.catch(() => certificates.delete(url));
    certificates.set(url, key);
  }
  return key;
}

/**
 * Why an SNS message is not genuine, or null when it is: it must come from a topic this CRM subscribed to, be
 * signed by a certificate served from Amazon's own SNS addresses (the pattern), with SHA1withRSA (version 1) or
 * SHA256withRSA (version 2) over the fields above, and be less than an hour old.
 */
export async function snsSignatureProblem(m: SnsMessage, allowed: { topics: string[]; certUrlPattern: RegExp }, now = Date.now()): Promise<string | null> {
  if (!allowed.topics.includes(m.TopicArn)) return `the topic ${m.TopicArn} is not one of SES_SNS_TOPIC_ARNS`;
  if (!allowed.certUrlPattern.test(m.SigningCertURL)) return 'the signing certificate is not on an Amazon SNS address';
  if (Math.abs(now - Date.parse(m.Timestamp)) > REPLAY_WINDOW_MS) return 'the message is more than an hour old (or from the future)';
  let key: KeyObject;
  try {
    key = await signingKey(m.SigningCertURL);
  } catch (error) {
    return `the signing certificate could not be read (${(error as Error).message})`;
  }
  const ok = verify(m.SignatureVersion === '1' ? 'sha1' : 'sha256', Buffer.from(snsStringToSign(m)), key, Buffer.from(m.Signature, 'base64'));
  return ok ? null : 'the signature does not match';
}
