/** For running one poll at a time across every process that shares the store. */
export interface PollLease {
  /** True when `owner` now holds the lease until `ttlMs` from now (also when it held it already). */
  acquire(owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` still holds it. */
  release(owner: string): Promise<void>;
}

export const POLL_LEASE = Symbol.for('PollLease');
