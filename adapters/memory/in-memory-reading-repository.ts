import { injectable } from 'inversify';
import type { Page, PageRequest } from '../../application/ports/page.js';
import { pageBy } from '../../application/ports/paging.js';
import type { BandTotal, ReadingRepository, RecordOutcome } from '../../application/ports/reading-repository.js';
import { readingKey, type CrowdReading } from '../../domain/crowd-reading.js';
import { singaporeDayOf, singaporeHourOf, type SingaporeDay } from '../../domain/singapore-calendar.js';
import { contains, type TimeRange } from '../../domain/time-range.js';
import type { DayHourTotals } from '../../domain/usual-week.js';
import type { VenueId } from '../../domain/venue-id.js';

/** Readings in process memory; the reference the DynamoDB adapter is checked against. */
@injectable()
export class InMemoryReadingRepository implements ReadingRepository {
  private readonly keys = new Set<string>();
  private readonly byVenue = new Map<VenueId, CrowdReading[]>();

  async record(readings: readonly CrowdReading[]): Promise<RecordOutcome> {
    const stored: CrowdReading[] = [];
    for (const reading of readings) {
      const key = readingKey(reading);
      if (this.keys.has(key)) continue;
      this.keys.add(key);
      const history = this.byVenue.get(reading.venueId) ?? [];
      history.push(reading);
      history.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
      this.byVenue.set(reading.venueId, history);
      stored.push(reading);
    }
    return { stored, duplicate: readings.length - stored.length };
  }

  async latest(page: PageRequest): Promise<Page<CrowdReading>> {
    const latest = this.venueIds().flatMap((id) => this.byVenue.get(id)?.at(-1) ?? []);
    return pageBy(latest, (reading) => reading.venueId, page);
  }

  async latestOf(venueId: VenueId): Promise<CrowdReading | null> {
    return this.byVenue.get(venueId)?.at(-1) ?? null;
  }

  async recover(): Promise<void> {}

  async whichStored(readings: ReadonlyArray<Pick<CrowdReading, 'venueId' | 'observedAt'>>): Promise<ReadonlySet<string>> {
    return new Set(readings.map(readingKey).filter((key) => this.keys.has(key)));
  }

  async history(venueId: VenueId, range: Partial<TimeRange>, page: PageRequest): Promise<Page<CrowdReading>> {
    const newestFirst = (this.byVenue.get(venueId) ?? []).filter((r) => contains(range, r.observedAt)).reverse();
    return pageBy(newestFirst, (reading) => reading.observedAt.toISOString(), page, true);
  }

  async totals(range: TimeRange, page: PageRequest): Promise<Page<BandTotal>> {
    const totals: BandTotal[] = [];
    for (const venueId of this.venueIds()) {
      const inRange = (this.byVenue.get(venueId) ?? []).filter((r) => contains(range, r.observedAt));
      if (inRange.length === 0) continue;
      totals.push({ venueId, sum: inRange.reduce((sum, r) => sum + r.band, 0), count: inRange.length });
    }
    return pageBy(totals, (total) => total.venueId, page);
  }

  async hourlyTotals(venueId: VenueId, first: SingaporeDay, last: SingaporeDay): Promise<readonly DayHourTotals[]> {
    const days = new Map<SingaporeDay, { sums: number[]; counts: number[] }>();
    for (const reading of this.byVenue.get(venueId) ?? []) {
      const day = singaporeDayOf(reading.observedAt.getTime());
      if (day < first || day > last) continue;
      const totals = days.get(day) ?? { sums: new Array<number>(24).fill(0), counts: new Array<number>(24).fill(0) };
      const hour = singaporeHourOf(reading.observedAt.getTime());
      totals.sums[hour] = (totals.sums[hour] ?? 0) + reading.band;
      totals.counts[hour] = (totals.counts[hour] ?? 0) + 1;
      days.set(day, totals);
    }
    return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, totals]) => ({ day, ...totals }));
  }

  async ping(): Promise<void> {}

  private venueIds(): VenueId[] {
    return [...this.byVenue.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
