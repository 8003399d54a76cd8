import type { z } from 'zod';
import type { ImportField } from './columns.js';
import { fileInvoiceCells, fileLineCells, fileLineCustomer, firstProblem, type OrderLineRecord } from './records.js';
import { named, readOrderHead, type Cell } from './order-cells.js';
import { CellError, detach, parseAmount, parseQuantity } from './values.js';
import type { Mapped, RowMapperOptions } from './row-mapper.js';

type Problem = { field: string | null; reason: string };
/** `converted`: the problem was found converting the text (a quantity that is not a number), before any schema ran. */
type Checked<T> = { value: T; problem: null } | { value: null; problem: Problem; converted: boolean };
type Invoice = Omit<OrderLineRecord, keyof typeof fileLineCells>;
interface ColumnNames { converted: string; checked: string }

// The cells an invoice's lines share, in the order a line is read (the customer's details last).
const SHARED: readonly ImportField[] = ['customerId', 'orderId', 'date', 'status', 'name', 'email', 'phone', 'city', 'country'];
const REMEMBERED = 100_000;

/** What an invoice's shared cells made: a line to skip or reject whatever its own cells, or an invoice and its problems. */
interface SharedCells { mapped: Mapped | null; invoice: Invoice | null; problem: Problem | null; customerProblem: Problem | null }
const rejected = (problem: Problem): SharedCells => ({ mapped: { kind: 'reject', ...problem }, invoice: null, problem: null, customerProblem: null });

/**
 * Turns the cells of an "order lines" file's line into a record, as rowMapper does for the other layouts, for half a
 * million lines at a time. Every value is still converted and checked by its zod schema, but only once: the cells
 * the lines of one invoice share (they come together) once per invoice, and each line's own cells (a SKU, a
 * description, a quantity, a price) once per distinct value, since a file repeats them over and over.
 */
export function orderLineMapper(options: RowMapperOptions): (fields: string[]) => Mapped {
  const { columns, header } = options;
  const index = (f: ImportField) => columns.get(f);
  const width = header.length;
  const sharedAt = SHARED.map((f) => columns.get(f));
  // A column as a conversion's error names it (the header as written), and as a schema's problem does (trimmed).
  const column = (f: ImportField): ColumnNames => (index(f) === undefined ? { converted: f, checked: f } : { converted: header[index(f)!], checked: header[index(f)!].trim() });

  // The previous line's shared cells, and what they made: an invoice, a line to skip, or a rejection.
  let previous: (string | undefined)[] = [];
  let invoice: SharedCells = { mapped: null, invoice: null, problem: null, customerProblem: null };

  const readInvoice = (cell: Cell): SharedCells => {
    try {
      const head = readOrderHead(cell, options.parseDate, options.refundPrefix);
      if (!head) return { mapped: { kind: 'skip' }, invoice: null, problem: null, customerProblem: null };
      const { customer, ...order } = head;
      const shared = fileInvoiceCells.safeParse({ ...order, orderId: detach(order.orderId), customerId: detach(order.customerId) });
      const details = fileLineCustomer.safeParse(customer);
      return {
        mapped: null,
        invoice: shared.success ? { ...shared.data, customer: details.success ? details.data : {} } : null,
        problem: shared.success ? null : named(firstProblem(shared.error), header, index),
        customerProblem: details.success ? null : named(firstProblem(details.error), header, index),
      };
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      const field = error.field as ImportField;
      return rejected({ field: header[index(field)!] ?? field, reason: error.message });
    }
  };

  const sku = checkedOnce(fileLineCells.sku, (raw) => raw, column('sku'));
  const description = checkedOnce(fileLineCells.description, (raw) => raw, column('description'));
  const quantity = checkedOnce(fileLineCells.quantity, parseQuantity, column('quantity'));
  const unitPrice = checkedOnce(fileLineCells.unitPrice, parseAmount, column('unitPrice'));

  // A line's own cells, read straight from their columns: this runs for every line of the file.
  const at = { sku: index('sku'), description: index('description'), quantity: index('quantity'), unitPrice: index('unitPrice') };
  const own = (fields: string[], i: number | undefined): string | null => {
    if (i === undefined) return null;
    const v = fields[i].trim();
    return v === '' ? null : v;
  };

  return (fields) => {
    if (fields.length !== width) return { kind: 'reject', field: null, reason: `has ${fields.length} columns where the header has ${width}` };
    let same = previous.length > 0;
    for (let k = 0; k < sharedAt.length; k++) {
      const i = sharedAt[k];
      if (i !== undefined && fields[i] !== previous[k]) { same = false; break; }
    }
    if (!same) {
      // Kept only until the next invoice, so they may point into the file's text (the invoice's own keys are copies).
      previous = sharedAt.map((i) => (i === undefined ? undefined : fields[i]));
      invoice = readInvoice((f) => own(fields, columns.get(f)) ?? undefined);
    }
    if (invoice.mapped) return invoice.mapped;
    const skuOf = sku(own(fields, at.sku));
    const descriptionOf = description(own(fields, at.description));
    const quantityOf = quantity(own(fields, at.quantity) ?? '');
    const unitPriceOf = unitPrice(own(fields, at.unitPrice) ?? '');
    // Problems come in the order a whole record's check would give: conversions first, then the schema's fields in
    // turn, the customer's details last.
    if (skuOf.problem || descriptionOf.problem || quantityOf.problem || unitPriceOf.problem || invoice.problem || invoice.customerProblem) {
      const line = [skuOf, descriptionOf, quantityOf, unitPriceOf];
      for (const checked of line) if (checked.problem && checked.converted) return { kind: 'reject', ...checked.problem };
      if (invoice.problem) return { kind: 'reject', ...invoice.problem };
      for (const checked of line) if (checked.problem) return { kind: 'reject', ...checked.problem };
      return { kind: 'reject', ...invoice.customerProblem! };
    }
    const shared = invoice.invoice!;
    const record: OrderLineRecord = {
      orderId: shared.orderId, customerId: shared.customerId, placedAt: shared.placedAt, status: shared.status,
      sku: skuOf.value as string | null, description: descriptionOf.value as string | null, quantity: quantityOf.value as number, unitPrice: unitPriceOf.value as string,
      customer: shared.customer,
    };
    return { kind: 'line', record };
  };
}

/**
 * A cell's conversion and zod check, remembered for each distinct text (a failing one too: it fails the same way on
 * every line that has it, each line rejected in its own name). The lines with one text share one copy of it, which
 * does not keep the file's text alive and whose hash later lookups (the catalogue, prices) find already computed.
 */
function checkedOnce<T, R extends string | null>(schema: z.ZodType<T>, convert: (raw: R) => unknown, field: ColumnNames): (raw: R) => Checked<T> {
  const memo = new Map<R, Checked<T>>();
  return (raw) => {
    let checked = memo.get(raw);
    if (checked === undefined) {
      const text = raw === null ? raw : (detach(raw) as R);
      checked = check(schema, convert, text, field);
      if (memo.size >= REMEMBERED) memo.clear();
      memo.set(text, checked);
    }
    return checked;
  };
}

function check<T, R>(schema: z.ZodType<T>, convert: (raw: R) => unknown, raw: R, field: ColumnNames): Checked<T> {
  let value: unknown;
  try {
    value = convert(raw);
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    return { value: null, problem: { field: field.converted, reason: error.message }, converted: true };
  }
  const parsed = schema.safeParse(value);
  return parsed.success ? { value: parsed.data, problem: null } : { value: null, problem: { field: field.checked, reason: parsed.error.issues[0].message }, converted: false };
}
