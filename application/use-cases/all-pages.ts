import type { Page, PageRequest } from '../ports/page.js';

const PAGE_SIZE = 500;

/** Follows a paged query to its end; for lists bounded by the venue count, never by history. */
export async function allPages<T>(fetch: (page: PageRequest) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch({ limit: PAGE_SIZE, after });
    items.push(...page.items);
    after = page.next ?? undefined;
  } while (after !== undefined);
  return items;
}
