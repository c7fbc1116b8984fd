import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { readingKey, type CrowdReading } from '../../domain/crowd-reading.js';
import { PollInProgressError, UpstreamError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import type { PollSummary } from '../../domain/poll-summary.js';
import type { VenueId } from '../../domain/venue-id.js';
import type { Venue } from '../../domain/venue.js';
import { CLOCK, type Clock } from '../ports/clock.js';
import { CROWD_SOURCE, type CrowdSource } from '../ports/crowd-source.js';
import { EVENT_OUTBOX, type EventOutbox, type StagedEvent } from '../ports/event-outbox.js';
import { EVENT_PUBLISHER, type EventPublisher } from '../ports/event-publisher.js';
import { POLL_LEASE, type LeaseHolder, type PollLease } from '../ports/poll-lease.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { allPages } from './all-pages.js';
import { staged, stagedOnce } from './event-key.js';
import { reconcileVenues } from './reconcile-venues.js';
import { venuesById } from './venues-by-id.js';

/**
 * The poll lease is short and renewed while the poll runs, so a poll whose process is killed
 * holds up the next one for at most this long, not for as long as a poll may take.
 */
export const POLL_LEASE_TTL_MS = 30_000;
export const POLL_LEASE_HEARTBEAT_MS = 10_000;

/**
 * Fetches the upstream once, stores what is new and tells the world what changed, with
 * nothing lost: events are staged in the outbox before anything is written, published after,
 * and removed once delivered. Each poll first finishes whatever store write an earlier poll
 * left half-done, then publishes what earlier polls staged, but only events whose facts
 * are in the store.
 */
@injectable()
export class PollUpstream {
  private running = false;
  private readonly owner = randomUUID();

  constructor(
    @inject(CROWD_SOURCE) private readonly source: CrowdSource,
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
    @inject(EVENT_PUBLISHER) private readonly events: EventPublisher,
    @inject(CLOCK) private readonly clock: Clock,
    @inject(EVENT_OUTBOX) private readonly outbox: EventOutbox,
    @inject(POLL_LEASE) private readonly lease: PollLease,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Throws PollInProgressError while another poll runs, in this process or any other. */
  async execute(): Promise<PollSummary> {
    if (this.running) throw new PollInProgressError();
    this.running = true;
    try {
      const lease = await this.lease.acquire(this.owner, POLL_LEASE_TTL_MS);
      if (!lease.acquired) throw this.refusal(lease.holder);
      const heartbeat = setInterval(() => void this.lease.renew(this.owner, POLL_LEASE_TTL_MS).catch(() => false), POLL_LEASE_HEARTBEAT_MS);
      // A heartbeat must never keep a process alive on its own.
      heartbeat.unref();
      try {
        return await this.pollAndReport();
      } finally {
        clearInterval(heartbeat);
        await this.lease.release(this.owner);
      }
    } finally {
      this.running = false;
    }
  }

  private refusal(holder: LeaseHolder): PollInProgressError {
    const now = this.clock.now().getTime();
    const silentMs = now - holder.renewedAt.getTime();
    const expiresInS = Math.max(0, Math.ceil((holder.expiresAt.getTime() - now) / 1000));
    // Two missed heartbeats: the holder is not slow, it is gone; the lease runs out on its own.
    if (silentMs > 2 * POLL_LEASE_HEARTBEAT_MS) {
      return new PollInProgressError(
        `stale poll lease: its holder stopped renewing it ${Math.round(silentMs / 1000)} s ago (its process probably died); polls resume when it expires in ${expiresInS} s`,
        true,
      );
    }
    return new PollInProgressError(`another process is polling (lease renewed ${Math.round(silentMs / 1000)} s ago)`);
  }

  private async pollAndReport(): Promise<PollSummary> {
    const startedAt = this.clock.now();
    try {
      // First complete a write that a killed poll left half-done, so every check below sees whole facts.
      await this.readings.recover();
      const stillStaged = await this.relayStagedEvents();
      return await this.poll(startedAt, stillStaged);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.stageAndDeliver([staged({ type: 'PollFailed', startedAt, failedAt: this.clock.now(), reason })]);
      throw error;
    }
  }

  /**
   * Publishes what earlier polls staged and did not deliver, if its fact was stored; drops the
   * rest. Returns the keys that stay staged (the bus refused them), which this poll must keep.
   */
  private async relayStagedEvents(): Promise<ReadonlySet<string>> {
    const pending = await this.outbox.pending();
    if (pending.length === 0) return new Set();
    const happened = await this.whichHappened(pending.map((s) => s.event));
    await this.outbox.remove(pending.filter((_, i) => !happened[i]).map((s) => s.key));
    const relayed = pending.filter((_, i) => happened[i]);
    const delivered = await this.deliver(relayed);
    return new Set(delivered ? [] : relayed.map((s) => s.key));
  }

  /** Whether each event's fact is in the store, with one batched question per kind of fact. */
  private async whichHappened(events: readonly DomainEvent[]): Promise<boolean[]> {
    const readingFacts = events.flatMap((event): Array<Pick<CrowdReading, 'venueId' | 'observedAt'>> =>
      event.type === 'ReadingRecorded' ? [event.reading] : event.type === 'BandChanged' ? [event] : [],
    );
    const stored = readingFacts.length > 0 ? await this.readings.whichStored(readingFacts) : new Set<string>();
    const venueFacts = events.some((event) => 'venue' in event) ? await venuesById(this.venues) : new Map<VenueId, Venue>();
    return events.map((event) => {
      switch (event.type) {
        case 'ReadingRecorded':
          return stored.has(readingKey(event.reading));
        case 'BandChanged':
          return stored.has(readingKey(event));
        case 'VenueAppeared':
        case 'VenueChanged':
          return venueFacts.has(event.venue.id);
        case 'VenueVanished':
          return venueFacts.get(event.venue.id)?.active === false;
        default:
          return true;
      }
    });
  }

  private async stageAndDeliver(events: readonly StagedEvent[]): Promise<void> {
    await this.outbox.stage(events);
    await this.deliver(events);
  }

  /** Publishes staged events and forgets them once delivered; on failure they stay for the next poll. */
  private async deliver(events: readonly StagedEvent[]): Promise<boolean> {
    if (events.length === 0) return true;
    try {
      await this.events.publish(events.map((s) => s.event));
    } catch {
      // The publisher counted the failure; the outbox keeps the events, and the next poll retries.
      return false;
    }
    await this.outbox.remove(events.map((s) => s.key));
    return true;
  }

  private async poll(startedAt: Date, stillStaged: ReadonlySet<string>): Promise<PollSummary> {
    // Fetch everything before writing anything, so a failed fetch stores nothing half-way.
    const [facilityList, crowdLevels] = await Promise.all([this.source.fetchVenues(), this.source.fetchCrowdLevels()]);
    if (facilityList.items.length === 0) {
      throw new UpstreamError('the facility list is empty; refusing to mark every venue inactive');
    }

    const venueChanges = reconcileVenues(await this.venues.all(), facilityList.items, startedAt);

    const latestBefore = new Map((await allPages((page) => this.readings.latest(page))).map((r) => [r.venueId, r]));
    // Most of a snapshot repeats the latest readings; skip those before touching the store.
    const candidates = crowdLevels.items.filter((r) => !isStoredLatest(r, latestBefore));

    // Stage before writing: a process that dies after the writes still leaves its events behind.
    const intended = stagedOnce([...venueChanges.events, ...readingEvents(candidates, latestBefore)]);
    await this.outbox.stage(intended);
    await this.venues.save(venueChanges.toSave);
    const outcome = await this.readings.record(candidates);
    // A candidate stored before (say an older reading seen again) was announced then. An event an
    // earlier poll staged and could not deliver stays, though: its fact may have been stored by
    // that poll, which died before it could tell anyone.
    const happened = stagedOnce([...venueChanges.events, ...readingEvents(outcome.stored, latestBefore)]);
    const happenedKeys = new Set(happened.map((s) => s.key));
    const intendedKeys = new Set(intended.map((s) => s.key));
    // Only a writer racing this one can make a fact turn out other than intended; stage it too.
    await this.outbox.stage(happened.filter((s) => !intendedKeys.has(s.key)));
    await this.outbox.remove(intended.filter((s) => !happenedKeys.has(s.key) && !stillStaged.has(s.key)).map((s) => s.key));

    const listed = new Set(facilityList.items.map((venue) => venue.id));
    const summary: PollSummary = {
      startedAt,
      finishedAt: this.clock.now(),
      venues: {
        seen: facilityList.items.length,
        added: venueChanges.added.length,
        updated: venueChanges.changed.length,
        deactivated: venueChanges.vanished.length,
        rejected: facilityList.rejected.length,
      },
      readings: {
        seen: crowdLevels.items.length + crowdLevels.rejected.length,
        stored: outcome.stored.length,
        duplicate: crowdLevels.items.length - outcome.stored.length,
        rejected: crowdLevels.rejected.length,
        orphan: outcome.stored.filter((r) => !listed.has(r.venueId)).length,
      },
      rejections: [...facilityList.rejected, ...crowdLevels.rejected],
    };

    const completed = staged({ type: 'PollCompleted', summary });
    await this.outbox.stage([completed]);
    const keptFromEarlierPolls = intended.filter((s) => stillStaged.has(s.key) && !happenedKeys.has(s.key));
    await this.deliver([...happened, ...keptFromEarlierPolls, completed]);
    return summary;
  }
}

function isStoredLatest(reading: CrowdReading, latest: ReadonlyMap<VenueId, CrowdReading>): boolean {
  const known = latest.get(reading.venueId);
  return known !== undefined && readingKey(known) === readingKey(reading);
}

/** A reading recorded for each new reading; a band change where a venue's newest band moved. */
function readingEvents(stored: readonly CrowdReading[], latestBefore: ReadonlyMap<VenueId, CrowdReading>): DomainEvent[] {
  const events: DomainEvent[] = [];
  const newest = new Map(latestBefore);
  for (const reading of [...stored].sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime())) {
    events.push({ type: 'ReadingRecorded', reading });
    const previous = newest.get(reading.venueId);
    if (previous !== undefined && previous.observedAt.getTime() >= reading.observedAt.getTime()) continue;
    newest.set(reading.venueId, reading);
    if (previous !== undefined && previous.band !== reading.band) {
      events.push({
        type: 'BandChanged',
        venueId: reading.venueId,
        previousBand: previous.band,
        band: reading.band,
        observedAt: reading.observedAt,
      });
    }
  }
  return events;
}
