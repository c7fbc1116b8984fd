import type { Backoff } from '../../application/use-cases/retry-backoff.js';

/** Runs `work` over `items` with at most `limit` in flight: parallel, but gentle on the table. */
export async function mapConcurrently<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  // One iterator shared by every worker: each takes the next item when it is free.
  const queue = items.entries();
  const worker = async (): Promise<void> => {
    for (const [index, item] of queue) results[index] = await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Retries of the items a batch request left unprocessed: up to 100 ms before the first, 5 s at most. */
export const UNPROCESSED_BACKOFF: Backoff = { baseDelayMs: 100, maxDelayMs: 5_000 };
