import { Inject, Injectable, Optional } from '@nestjs/common';
import { Sql } from '../../db/sql.js';
import { JobQueue, queueNames } from '../../jobs/job-queue.js';
import { receiptBatch } from '../../vendor/vendor-protocol.js';
import { CrmError, NotFound, parseInput, Unavailable } from '../errors.js';
import { logIdOf } from './receipts.js';
import { signatureProblem } from './signature.js';
import { VENDOR_CONNECTION, type VendorConnection } from './vendor-connection.js';

export class BadSignature extends CrmError {
  readonly kind = 'not_signed_in';
  override get code() {
    return 'bad_signature';
  }
}
export class UnknownMessages extends NotFound {
  override get code() {
    return 'unknown_messages';
  }
  override details() {
    return { unknown: this.unknown };
  }
  constructor(readonly unknown: string[]) {
    super(`No message of this CRM has ${unknown.length === 1 ? 'this key' : 'these keys'}: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}.`);
  }
}

/**
 * The vendor's receipts, checked and queued. Only a correctly signed request is read; receipts for messages this
 * CRM never sent are refused by name; the rest are queued for the worker to apply in batches, so the vendor gets
 * its answer at once however busy the database is.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    private readonly sql: Sql,
    @Inject(VENDOR_CONNECTION) private readonly vendor: VendorConnection,
    @Optional() private readonly queue?: JobQueue,
  ) {}

  async accept(rawBody: Buffer | undefined, signature: string | undefined, body: unknown) {
    const problem = signatureProblem(this.vendor.secret, signature, rawBody ?? Buffer.alloc(0));
    if (problem) throw new BadSignature(`Receipts refused: ${problem}.`);
    const { receipts } = parseInput(receiptBatch, body);
    const ids = receipts.map((r) => logIdOf(r.idempotencyKey));
    const known = new Map((await this.sql.rows<{ id: number; vid: string | null }>(
      `select id, vendor_message_id as vid from communication_logs where id = any($1::bigint[])`,
      [ids.filter((id): id is number => id !== null)],
    )).map((r) => [r.id, r.vid]));
    const accepted = receipts.filter((r, i) => {
      const id = ids[i];
      if (id === null || !known.has(id)) return false;
      const vid = known.get(id);
      // A receipt naming another vendor message than the one recorded for this key is not about this message.
      return vid === null || vid === r.vendorMessageId;
    });
    const acceptedSet = new Set(accepted);
    const rejected = receipts.filter((r) => !acceptedSet.has(r)).map((r) => r.idempotencyKey);
    if (!accepted.length) throw new UnknownMessages(rejected);
    // The server's own shortcoming, not the vendor's: answered as unavailable, so the vendor retries later.
    if (!this.queue) throw new Unavailable('Receipts cannot be queued: this server runs without a job queue.');
    await this.queue.send(queueNames.deliveryReceipts, { receipts: accepted });
    return { accepted: accepted.length, rejected };
  }
}
