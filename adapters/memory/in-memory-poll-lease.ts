import { injectable } from 'inversify';
import type { Clock } from '../../application/ports/clock.js';
import type { PollLease } from '../../application/ports/poll-lease.js';

@injectable()
export class InMemoryPollLease implements PollLease {
  private holder: { owner: string; expiresAt: number } | null = null;

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  async acquire(owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    if (this.holder !== null && this.holder.owner !== owner && this.holder.expiresAt > now) return false;
    this.holder = { owner, expiresAt: now + ttlMs };
    return true;
  }

  async release(owner: string): Promise<void> {
    if (this.holder?.owner === owner) this.holder = null;
  }
}
