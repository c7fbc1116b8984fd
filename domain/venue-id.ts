import { fail, ok, type Result } from './result.js';

/** Upstream ids come as hex, short numbers or UUIDs; we keep them verbatim but refuse blanks and junk. */
export type VenueId = string;

const MAX_ID_LENGTH = 128;

export function venueIdOf(value: unknown): Result<VenueId> {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
    return ok(String(value));
  }
  if (typeof value !== 'string') return fail(`id must be a string, got ${JSON.stringify(value)}`);
  const id = value.trim();
  if (id.length === 0) return fail('id is empty');
  if (id.length > MAX_ID_LENGTH) return fail(`id is longer than ${MAX_ID_LENGTH} characters`);
  // Ids end up in URLs and storage keys: printable ASCII without separators only.
  if (!/^[A-Za-z0-9_.:-]+$/.test(id))
    return fail(`id ${JSON.stringify(id)} has characters other than letters, digits, '_', '.', ':' and '-'`);
  return ok(id);
}
