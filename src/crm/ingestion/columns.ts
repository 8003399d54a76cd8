// Which column of a file holds which field: recognised header names, or an explicit --map column=field.

export const importFields = [
  'customerId', 'name', 'firstName', 'lastName', 'email', 'phone', 'city', 'country', 'tags', 'unsubscribed', 'emailConsent', 'smsConsent',
  'orderId', 'date', 'status', 'amount', 'sku', 'description', 'quantity', 'unitPrice',
] as const;
export type ImportField = (typeof importFields)[number];
export type Layout = 'customers' | 'orders' | 'order-lines';

// Header names as they appear in shop and spreadsheet exports, compared without case, spaces or punctuation.
const synonyms: Record<ImportField, string[]> = {
  customerId: ['customerid', 'customer', 'custid', 'clientid', 'customerexternalid', 'customernumber', 'customerno', 'customercode', 'externalid', 'userid', 'memberid'],
  name: ['name', 'fullname', 'customername', 'clientname', 'contactname'],
  firstName: ['firstname', 'givenname', 'forename'],
  lastName: ['lastname', 'surname', 'familyname'],
  email: ['email', 'emailaddress', 'mail', 'emailid', 'customeremail'],
  phone: ['phone', 'mobile', 'phonenumber', 'mobilenumber', 'tel', 'telephone', 'contactnumber', 'whatsapp'],
  city: ['city', 'town'],
  country: ['country', 'countrycode', 'countryname'],
  tags: ['tags', 'labels', 'tag'],
  unsubscribed: ['unsubscribed', 'optout', 'optedout', 'donotcontact'],
  // Shopify's customer export says "Accepts Email Marketing" and "Accepts SMS Marketing".
  emailConsent: ['emailconsent', 'emailoptin', 'acceptsemailmarketing', 'emailmarketing', 'emailsubscribed', 'marketingemails'],
  smsConsent: ['smsconsent', 'smsoptin', 'acceptssmsmarketing', 'smsmarketing', 'smssubscribed', 'marketingsms'],
  orderId: ['orderid', 'order', 'ordernumber', 'orderno', 'invoiceno', 'invoice', 'invoicenumber', 'invoiceid', 'transactionid', 'billno'],
  date: ['date', 'orderdate', 'invoicedate', 'placedat', 'placed', 'dateplaced', 'purchased', 'orderedon', 'createdat', 'timestamp', 'purchasedate', 'orderedat', 'transactiondate'],
  status: ['status', 'orderstatus'],
  amount: ['amount', 'total', 'ordertotal', 'totalamount', 'value', 'ordervalue', 'revenue', 'grandtotal'],
  sku: ['sku', 'stockcode', 'productid', 'productcode', 'itemcode', 'itemid'],
  description: ['description', 'product', 'productname', 'item', 'itemname', 'title'],
  quantity: ['quantity', 'qty', 'units', 'count'],
  unitPrice: ['unitprice', 'price', 'rate', 'itemprice', 'priceeach'],
};

const normalise = (header: string) => header.toLowerCase().replace(/[^a-z0-9]/g, '');
const lookup = new Map(Object.entries(synonyms).flatMap(([field, names]) => names.map((n) => [n, field as ImportField])));

export class MappingError extends Error {}

export interface ColumnMap { columns: Map<ImportField, number>; ignored: string[] }

/** Maps header columns to fields; `explicit` (column → field) wins over recognised names. */
export function mapColumns(header: string[], explicit: Record<string, string> = {}): ColumnMap {
  const columns = new Map<ImportField, number>();
  const byHeader = new Map(header.map((h, i) => [h.trim(), i]));
  for (const [column, field] of Object.entries(explicit)) {
    if (!(importFields as readonly string[]).includes(field)) throw new MappingError(`--map ${column}=${field}: "${field}" is not a field; fields are ${importFields.join(', ')}`);
    const index = byHeader.get(column) ?? header.findIndex((h) => normalise(h) === normalise(column));
    if (index === undefined || index < 0) throw new MappingError(`--map ${column}=${field}: the file has no column "${column}"; its columns are ${header.join(', ')}`);
    columns.set(field as ImportField, index);
  }
  const taken = new Set(columns.values());
  header.forEach((h, i) => {
    const field = lookup.get(normalise(h));
    if (field && !columns.has(field) && !taken.has(i)) { columns.set(field, i); taken.add(i); }
  });
  return { columns, ignored: header.filter((_, i) => !taken.has(i)).map((h) => h.trim()).filter(Boolean) };
}

/** The layout a file's columns suggest: one row per order line, per order, or per customer. */
export function detectLayout(columns: Map<ImportField, number>): Layout | null {
  if (columns.has('orderId') && columns.has('quantity') && columns.has('unitPrice')) return 'order-lines';
  if (columns.has('orderId') && columns.has('amount')) return 'orders';
  if (columns.has('customerId')) return 'customers';
  return null;
}

export const requiredFields: Record<Layout, ImportField[]> = {
  customers: ['customerId'],
  orders: ['orderId', 'customerId', 'date', 'amount'],
  'order-lines': ['orderId', 'customerId', 'date', 'quantity', 'unitPrice'],
};

export interface LayoutPreview {
  layout: Layout | null;
  columns: { column: string; field: ImportField | null }[];
  missing: ImportField[];
  problem: string | null;
  /** Every field a column may feed, and every layout, for a form that changes the mapping. */
  fields: readonly ImportField[];
  layouts: readonly Layout[];
}

const layouts: readonly Layout[] = ['customers', 'orders', 'order-lines'];

/**
 * What an import would make of a header before any line is read: the layout, the field each column feeds (or none),
 * and the fields the layout needs that no column gives. A mapping that names no real column or field is the problem.
 */
export function previewLayout(header: string[], explicit: Record<string, string> = {}, layout?: Layout): LayoutPreview {
  let mapped: ColumnMap;
  try {
    mapped = mapColumns(header, explicit);
  } catch (error) {
    if (!(error instanceof MappingError)) throw error;
    return { layout: layout ?? null, columns: header.map((column) => ({ column, field: null })), missing: [], problem: error.message, fields: importFields, layouts };
  }
  const fieldAt = new Map([...mapped.columns].map(([field, index]) => [index, field]));
  const chosen = layout ?? detectLayout(mapped.columns);
  const missing = chosen ? requiredFields[chosen].filter((f) => !mapped.columns.has(f)) : [];
  return {
    layout: chosen,
    columns: header.map((column, i) => ({ column, field: fieldAt.get(i) ?? null })),
    missing,
    problem: chosen ? null : 'No column of this file could be recognised; say which column holds which field.',
    fields: importFields, layouts,
  };
}
