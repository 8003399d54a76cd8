import { readHeader } from './text-lines.js';

// The Imports page reads a file's header in the browser with this, before the file is sent: it must see the columns
// the importer will see.
describe('readHeader', () => {
  it('reads a CSV header with its own delimiter and quotes, a byte-order mark left out', () => {
    expect(readHeader('\ufeffCustomer;"Invoice; number";Date\nK-1;I-1;2026-11-02\n')).toEqual(['Customer', 'Invoice; number', 'Date']);
    expect(readHeader('id,"name, full",email\r\n')).toEqual(['id', 'name, full', 'email']);
    expect(readHeader('a\tb\tc')).toEqual(['a', 'b', 'c']);
  });

  it('reads the first object\'s keys of an NDJSON file, and nothing from an empty start', () => {
    expect(readHeader('{"customerId":"K-1","email":"a@b.c"}\n{"customerId":"K-2"}\n')).toEqual(['customerId', 'email']);
    expect(readHeader('')).toEqual([]);
  });
});
