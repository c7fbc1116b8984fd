/**
 * A page of a list. `after` and `next` are positions the repository understands (for
 * instance the last key returned); callers treat them as opaque and never build them.
 */
export interface PageRequest {
  readonly limit: number;
  readonly after?: string | undefined;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}
