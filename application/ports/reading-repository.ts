import type { CrowdReading } from '../../domain/crowd-reading.js';
import type { SingaporeDay } from '../../domain/singapore-calendar.js';
import type { TimeRange } from '../../domain/time-range.js';
import type { DayHourTotals } from '../../domain/usual-week.js';
import type { VenueId } from '../../domain/venue-id.js';
import type { Page, PageRequest } from './page.js';

export interface RecordOutcome {
  /** The readings that were not stored before, in input order. */
  readonly stored: readonly CrowdReading[];
  /** Readings already stored (by this call's earlier items, or any earlier call). */
  readonly duplicate: number;
}

/** Sum and count of one venue's distinct readings in a range; mean = sum / count. */
export interface BandTotal {
  readonly venueId: VenueId;
  readonly sum: number;
  readonly count: number;
}

/**
 * For storing readings and answering questions about them. Identity is (venueId,
 * observedAt): recording a reading that is already stored changes nothing, also when
 * two callers race.
 */
export interface ReadingRepository {
  record(readings: readonly CrowdReading[]): Promise<RecordOutcome>;
  /**
   * Finishes a `record` that stopped half-way (its process was killed), so that every reading
   * it stored is counted, latest and answered for exactly as if it had completed.
   */
  recover(): Promise<void>;
  /** The newest reading of each venue that has one, ordered by venue id. */
  latest(page: PageRequest): Promise<Page<CrowdReading>>;
  latestOf(venueId: VenueId): Promise<CrowdReading | null>;
  /** Which of these readings (venue, instant) are stored, as their `readingKey`s. */
  whichStored(readings: ReadonlyArray<Pick<CrowdReading, 'venueId' | 'observedAt'>>): Promise<ReadonlySet<string>>;
  /** One venue's readings, newest first, within the optional bounds [from, to). */
  history(venueId: VenueId, range: Partial<TimeRange>, page: PageRequest): Promise<Page<CrowdReading>>;
  /** Per venue with at least one reading in [from, to): sum and count of bands, ordered by venue id. */
  totals(range: TimeRange, page: PageRequest): Promise<Page<BandTotal>>;
  /** One venue's hourly sums and counts on each Singapore day from `first` to `last` that has readings, oldest first. */
  hourlyTotals(venueId: VenueId, first: SingaporeDay, last: SingaporeDay): Promise<readonly DayHourTotals[]>;
  /** Answers when the store can be reached; throws otherwise. */
  ping(): Promise<void>;
}

export const READING_REPOSITORY = Symbol.for('ReadingRepository');
