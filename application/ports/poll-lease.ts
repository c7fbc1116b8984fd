/** Who holds the poll lease, as the store last saw it. */
export interface LeaseHolder {
  readonly owner: string;
  readonly expiresAt: Date;
  /** When the holder last took or renewed it; a holder that stopped renewing has probably died. */
  readonly renewedAt: Date;
}

export type LeaseOutcome =
  /** `tookOverFrom`: an expired lease that its holder never released (that poll died). */
  { readonly acquired: true; readonly tookOverFrom: LeaseHolder | null } | { readonly acquired: false; readonly holder: LeaseHolder };

/** For running one poll at a time across every process that shares the store. */
export interface PollLease {
  /** Takes the lease for `ttlMs` when it is free, expired, or already `owner`'s. */
  acquire(owner: string, ttlMs: number): Promise<LeaseOutcome>;
  /** Extends `owner`'s lease by `ttlMs` from now; false when `owner` no longer holds it. */
  renew(owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` still holds it. */
  release(owner: string): Promise<void>;
}

export const POLL_LEASE = Symbol.for('PollLease');
