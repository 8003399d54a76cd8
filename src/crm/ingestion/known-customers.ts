import type { CustomerRecord } from './records.js';
import { detach } from './values.js';

export type CustomerDetails = Partial<Omit<CustomerRecord, 'externalId'>> & { externalId: string };

const detailsKey = (d: CustomerDetails) => `${d.name ?? ''}\u0001${d.email ?? ''}\u0001${d.phone ?? ''}\u0001${d.city ?? ''}\u0001${d.country ?? ''}`;

/**
 * The customers one import of order lines has written, with the details it wrote (a country, an email…). A file
 * names the same few thousand customers on hundreds of thousands of lines: a later batch writes a customer again
 * only when the file says something new about them, and otherwise takes their id from here.
 */
export class KnownCustomers {
  private readonly written = new Map<string, { id: number; key: string }>();

  /** The customers of a batch this import has not written with these details yet, and the ids of the others. */
  sort(batch: Iterable<CustomerDetails>): { toWrite: CustomerDetails[]; ids: Map<string, number> } {
    const toWrite: CustomerDetails[] = [];
    const ids = new Map<string, number>();
    for (const details of batch) {
      const known = this.written.get(details.externalId);
      if (known && known.key === detailsKey(details)) ids.set(details.externalId, known.id);
      else toWrite.push(details);
    }
    return { toWrite, ids };
  }

  remember(written: Iterable<CustomerDetails>, ids: ReadonlyMap<string, number>) {
    for (const details of written) this.written.set(detach(details.externalId), { id: ids.get(details.externalId)!, key: detailsKey(details) });
  }
}
