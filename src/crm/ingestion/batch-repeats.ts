/**
 * A record sent twice in one batch is written once: its last copy wins, as it would had the copies come in two
 * batches. The earlier copies changed nothing themselves, yet each was received and must be counted, or an
 * import's counts would not add up to what it received: they count as unchanged.
 */
export function supersededCopies<T>(records: readonly T[], key: (record: T) => string): number {
  return records.length - new Set(records.map(key)).size;
}
