import { inject, injectable } from 'inversify';
import { CLOCK, systemClock, type Clock } from '../../application/ports/clock.js';
import type { LeaseHolder, LeaseOutcome, PollLease } from '../../application/ports/poll-lease.js';

@injectable()
export class InMemoryPollLease implements PollLease {
  private holder: LeaseHolder | null = null;

  constructor(@inject(CLOCK) private readonly clock: Clock = systemClock) {}

  async acquire(owner: string, ttlMs: number): Promise<LeaseOutcome> {
    const now = this.clock.now();
    const previous = this.holder;
    if (previous !== null && previous.owner !== owner && previous.expiresAt > now) return { acquired: false, holder: previous };
    this.holder = { owner, expiresAt: new Date(now.getTime() + ttlMs), renewedAt: now };
    return { acquired: true, tookOverFrom: previous !== null && previous.owner !== owner ? previous : null };
  }

  async renew(owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    if (this.holder?.owner !== owner) return false;
    this.holder = { owner, expiresAt: new Date(now.getTime() + ttlMs), renewedAt: now };
    return true;
  }

  async release(owner: string): Promise<void> {
    if (this.holder?.owner === owner) this.holder = null;
  }
}
