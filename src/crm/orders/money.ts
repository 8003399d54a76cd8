// Exact decimal arithmetic for amounts with at most three decimals, in integer thousandths (BigInt).

export function toThousandths(amount: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount: ${amount}`);
  const [, sign, whole, fraction = ''] = match;
  // One BigInt from the digits (it runs for every line of an import).
  return BigInt(`${sign}${whole}${fraction.padEnd(3, '0')}`);
}

export function fromThousandths(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 1000n;
  const fraction = (abs % 1000n).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** The exact total of order lines: Σ quantity × unit price. */
export function linesTotal(lines: readonly { quantity: number; unitPrice: string }[]): string {
  return fromThousandths(lines.reduce((sum, l) => sum + BigInt(l.quantity) * toThousandths(l.unitPrice), 0n));
}
