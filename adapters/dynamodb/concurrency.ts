import type { Backoff } from '../../application/use-cases/retry-backoff.js';

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Retries of the items a batch request left unprocessed: up to 100 ms before the first, 5 s at most. */
export const UNPROCESSED_BACKOFF: Backoff = { baseDelayMs: 100, maxDelayMs: 5_000 };
