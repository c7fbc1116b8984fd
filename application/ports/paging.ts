import type { Page, PageRequest } from './page.js';

/**
 * Pages a list already sorted by `positionOf`: positions are the sort key of the last item
 * returned, so a page resumes after it even if items were added in between.
 */
export function pageBy<T>(sorted: readonly T[], positionOf: (item: T) => string, page: PageRequest, descending = false): Page<T> {
  const after = page.after;
  const start = after === undefined ? 0 : sorted.findIndex((item) => (descending ? positionOf(item) < after : positionOf(item) > after));
  const items = start < 0 ? [] : sorted.slice(start, start + page.limit);
  const last = items.at(-1);
  const more = start >= 0 && start + page.limit < sorted.length;
  return { items, next: more && last !== undefined ? positionOf(last) : null };
}
