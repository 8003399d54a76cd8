import { CellError, formatDateParser, isoDateParser, parseAmount, parseQuantity } from './values.js';

describe('cell values', () => {
  const iso = isoDateParser();

  it('reads ISO dates as UTC unless they name a zone', () => {
    expect(iso('2011-12-09 12:50:00').toISOString()).toBe('2011-12-09T12:50:00.000Z');
    expect(iso('2026-03-01').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(iso('2026-03-01T10:30:00+05:30').toISOString()).toBe('2026-03-01T05:00:00.000Z');
  });

  it('refuses dates that do not exist and says how to give another form', () => {
    expect(() => iso('2023-02-30')).toThrow('"2023-02-30" is not a real date');
    expect(() => iso('30/01/2023')).toThrow(/not a date in ISO form .* --date-format/);
  });

  it('reads a given format, with or without the time', () => {
    const parse = formatDateParser('DD/MM/YYYY HH:mm');
    expect(parse('09/12/2011 12:50').toISOString()).toBe('2011-12-09T12:50:00.000Z');
    expect(parse('09/12/2011').toISOString()).toBe('2011-12-09T00:00:00.000Z');
    expect(() => parse('31/04/2011')).toThrow('is not a real date');
    expect(() => formatDateParser('DD-MM')).toThrow(CellError);
  });

  it('keeps amounts exact and names what is wrong', () => {
    expect(parseAmount('₹1,299.50')).toBe('1299.50');
    expect(parseAmount('-0.001')).toBe('-0.001');
    expect(() => parseAmount('12.5x')).toThrow('"12.5x" is not an amount');
    expect(parseQuantity(' -12 ')).toBe(-12);
    expect(() => parseQuantity('six')).toThrow('"six" is not a whole number');
  });
});
