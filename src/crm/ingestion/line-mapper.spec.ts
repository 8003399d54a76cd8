import fc from 'fast-check';
import { mapColumns, type ImportField } from './columns.js';
import { fileLineRecord, firstProblem } from './records.js';
import { named, orderCustomer, statusOf } from './order-cells.js';
import { rowMapper, type Mapped } from './row-mapper.js';
import { CellError, isoDateParser, parseAmount, parseQuantity } from './values.js';

// Spaces around some names, as spreadsheets leave them: a problem names the column as the whole-line check did.
const header = ['InvoiceNo', ' StockCode', 'Description ', ' Quantity', 'InvoiceDate', 'UnitPrice ', 'CustomerID', ' Country', 'Email', 'Status'];
const { columns } = mapColumns(header);
const options = { layout: 'order-lines' as const, columns, header, parseDate: isoDateParser(), refundPrefix: 'C' };

/**
 * The reference: every line converted and checked whole by its zod schema, on its own, as lines were before they
 * were checked once per invoice and once per distinct value.
 */
function wholeLine(fields: string[]): Mapped {
  if (fields.length !== header.length) return { kind: 'reject', field: null, reason: `has ${fields.length} columns where the header has ${header.length}` };
  const index = (f: ImportField) => columns.get(f);
  const cell = (f: ImportField) => {
    const i = columns.get(f);
    const v = i === undefined ? '' : fields[i].trim();
    return v === '' ? undefined : v;
  };
  let current: ImportField = 'orderId';
  try {
    const customerId = cell('customerId');
    const orderId = cell('orderId');
    if (!orderId) return { kind: 'reject', field: 'InvoiceNo', reason: 'is empty' };
    if (!customerId) return { kind: 'skip' };
    current = 'date';
    const rawDate = cell('date');
    if (!rawDate) return { kind: 'reject', field: 'InvoiceDate', reason: 'is empty' };
    const placedAt = options.parseDate(rawDate);
    current = 'status';
    const status = statusOf(cell('status'), orderId, options.refundPrefix);
    const customer = orderCustomer(cell);
    current = 'quantity';
    const quantity = parseQuantity(cell('quantity') ?? '');
    current = 'unitPrice';
    const unitPrice = parseAmount(cell('unitPrice') ?? '');
    const parsed = fileLineRecord.safeParse({ orderId, customerId, placedAt, status, sku: cell('sku') ?? null, description: cell('description') ?? null, quantity, unitPrice, customer });
    return parsed.success ? { kind: 'line', record: parsed.data } : { kind: 'reject', ...named(firstProblem(parsed.error), header, index) };
  } catch (error) {
    if (!(error instanceof CellError)) throw error;
    return { kind: 'reject', field: header[index((error.field as ImportField | undefined) ?? current)!], reason: error.message };
  }
}

// Few distinct values, good and bad, so that invoices repeat and values come back on other lines.
const cells = {
  invoice: fc.constantFrom('536365', '536366', 'C536379', '', 'x'.repeat(201)),
  sku: fc.constantFrom('85123A', '71053', '', 'S'.repeat(201)),
  description: fc.constantFrom('WHITE HANGING HEART T-LIGHT HOLDER', ' glass star ', '', 'd'.repeat(2001)),
  quantity: fc.constantFrom('6', '-2', ' 12 ', 'six', '2000000', ''),
  date: fc.constantFrom('2010-12-01 08:26', '2010-12-01 08:28', '2010-02-30', 'yesterday', ''),
  price: fc.constantFrom('2.55', '3.39', '0', '1,299.50', 'free', ''),
  customer: fc.constantFrom('17850', '13047', '', 'c'.repeat(201)),
  country: fc.constantFrom('United Kingdom', 'France', '', 'k'.repeat(201)),
  email: fc.constantFrom('', 'A@Example.com', 'not-an-email'),
  status: fc.constantFrom('', 'completed', 'Shipped', 'lost'),
};
const line = fc.tuple(cells.invoice, cells.sku, cells.description, cells.quantity, cells.date, cells.price, cells.customer, cells.country, cells.email, cells.status);
// An invoice's lines share their invoice-level cells: runs of lines that differ only in their own cells.
const file = fc.array(fc.tuple(line, fc.array(fc.tuple(cells.sku, cells.description, cells.quantity, cells.price), { maxLength: 4 })), { minLength: 1, maxLength: 30 })
  .map((invoices) => invoices.flatMap(([first, rest]) => [first, ...rest.map(([sku, description, quantity, price]) => {
    const next = [...first];
    next[1] = sku; next[2] = description; next[3] = quantity; next[5] = price;
    return next;
  })]));

describe('the order lines mapper', () => {
  it('maps every line of a file as checking each line whole would, rejections named alike', () => {
    fc.assert(fc.property(file, (lines) => {
      const map = rowMapper(options);
      for (const fields of lines) expect(map([...fields])).toEqual(wholeLine(fields));
    }), { numRuns: 300 });
  });

  it('rejects a line with too few columns, and reads the next line of the same invoice afresh', () => {
    const map = rowMapper(options);
    const good = ['536365', '85123A', 'HEART', '6', '2010-12-01 08:26', '2.55', '17850', 'United Kingdom', '', ''];
    expect(map(good)).toMatchObject({ kind: 'line', record: { orderId: '536365', quantity: 6, unitPrice: '2.55', customer: { country: 'United Kingdom' } } });
    expect(map(good.slice(0, 9))).toEqual({ kind: 'reject', field: null, reason: 'has 9 columns where the header has 10' });
    expect(map([...good.slice(0, 3), 'six', ...good.slice(4)])).toEqual({ kind: 'reject', field: ' Quantity', reason: '"six" is not a whole number' });
    expect(map(good)).toMatchObject({ kind: 'line' });
  });
});
