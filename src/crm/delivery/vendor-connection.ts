import { Unavailable } from '../errors.js';
import { sign, SIGNATURE_HEADER } from './signature.js';
import { submitResponse, type SubmitRequest, type SubmitResponse } from '../../vendor/vendor-protocol.js';

/** Where the vendor is, the secret both sides sign with, and where it sends receipts. */
export interface VendorConnection { url: string; secret: string; receiptsUrl: string }
export const VENDOR_CONNECTION = Symbol('vendor connection');

export class VendorUnavailable extends Unavailable {}

/** Hands one batch to the vendor and returns its answer for each message. */
export async function submitBatch(vendor: VendorConnection, messages: SubmitRequest['messages']): Promise<SubmitResponse> {
  const body = JSON.stringify({ callbackUrl: vendor.receiptsUrl, messages } satisfies SubmitRequest);
  let res: Response;
  try {
    res = await fetch(`${vendor.url}/messages`, {
      method: 'POST', body, signal: AbortSignal.timeout(60_000),
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(vendor.secret, body) },
    });
  } catch (error) {
    throw new VendorUnavailable(`The vendor at ${vendor.url} did not answer: ${(error as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) throw new VendorUnavailable(`The vendor refused the batch (${res.status}): ${text.slice(0, 200)}`);
  return submitResponse.parse(JSON.parse(text));
}
