import { inject, injectable } from 'inversify';
import { readingKey, type CrowdReading } from '../../domain/crowd-reading.js';
import { PollInProgressError, UpstreamError } from '../../domain/errors.js';
import type { DomainEvent } from '../../domain/events.js';
import type { PollSummary } from '../../domain/poll-summary.js';
import type { VenueId } from '../../domain/venue-id.js';
import { CLOCK, type Clock } from '../ports/clock.js';
import { CROWD_SOURCE, type CrowdSource } from '../ports/crowd-source.js';
import { EVENT_PUBLISHER, type EventPublisher } from '../ports/event-publisher.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { allPages } from './all-pages.js';
import { reconcileVenues } from './reconcile-venues.js';

/** Fetches the upstream once, stores what is new and tells the world what changed. */
@injectable()
export class PollUpstream {
  private running = false;

  constructor(
    @inject(CROWD_SOURCE) private readonly source: CrowdSource,
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
    @inject(EVENT_PUBLISHER) private readonly events: EventPublisher,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  get isRunning(): boolean {
    return this.running;
  }

  /** Throws PollInProgressError while another poll of this instance runs. */
  async execute(): Promise<PollSummary> {
    if (this.running) throw new PollInProgressError();
    this.running = true;
    const startedAt = this.clock.now();
    try {
      return await this.poll(startedAt);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.events.publish([{ type: 'PollFailed', startedAt, failedAt: this.clock.now(), reason }]);
      throw error;
    } finally {
      this.running = false;
    }
  }

  private async poll(startedAt: Date): Promise<PollSummary> {
    // Fetch everything before writing anything, so a failed fetch stores nothing half-way.
    const [facilityList, crowdLevels] = await Promise.all([this.source.fetchVenues(), this.source.fetchCrowdLevels()]);
    if (facilityList.items.length === 0) {
      throw new UpstreamError('the facility list is empty; refusing to mark every venue inactive');
    }

    const venueChanges = reconcileVenues(await this.venues.all(), facilityList.items);
    await this.venues.save(venueChanges.toSave);

    const latestBefore = new Map((await allPages((page) => this.readings.latest(page))).map((r) => [r.venueId, r]));
    // Most of a snapshot repeats the latest readings; skip those before touching the store.
    const candidates = crowdLevels.items.filter((r) => !isStoredLatest(r, latestBefore));
    const outcome = await this.readings.record(candidates);

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

    await this.events.publish([
      ...venueChanges.events,
      ...readingEvents(outcome.stored, latestBefore),
      { type: 'PollCompleted', summary },
    ]);
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

