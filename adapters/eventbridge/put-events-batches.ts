import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

/** PutEvents takes at most 10 entries per call. */
export const MAX_ENTRIES_PER_REQUEST = 10;

/**
 * PutEvents refuses a request whose entries add up to more than 256 KB. AWS counts an entry
 * as its Source, DetailType, Detail and Resources in UTF-8 plus 14 bytes for Time; we count
 * the entry as JSON instead (quotes, keys, escapes, Time as an ISO string), which is always
 * more, and keep 1 KB spare for the request's own framing, so the body on the wire fits too.
 */
export const MAX_REQUEST_BYTES = 256 * 1024 - 1024;

export function entrySize(entry: PutEventsRequestEntry): number {
  // + 1 for the comma between entries.
  return Buffer.byteLength(JSON.stringify(entry), 'utf8') + 1;
}

export interface Batches<T> {
  readonly batches: readonly (readonly T[])[];
  /** Items that could never fit in a request on their own. */
  readonly oversize: readonly T[];
}

/** Groups items in order into requests PutEvents accepts: at most 10 entries and MAX_REQUEST_BYTES each. */
export function intoBatches<T>(items: readonly T[], entryOf: (item: T) => PutEventsRequestEntry): Batches<T> {
  const batches: T[][] = [];
  const oversize: T[] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const size = entrySize(entryOf(item));
    if (size > MAX_REQUEST_BYTES) {
      oversize.push(item);
      continue;
    }
    if (current.length === MAX_ENTRIES_PER_REQUEST || currentBytes + size > MAX_REQUEST_BYTES) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += size;
  }
  if (current.length > 0) batches.push(current);
  return { batches, oversize };
}
