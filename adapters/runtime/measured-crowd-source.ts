import { Histogram, type Registry } from 'prom-client';
import type { Batch, CrowdSource } from '../../application/ports/crowd-source.js';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import type { Venue } from '../../domain/venue.js';

/** Times every upstream fetch, retries included, by what was fetched and how it ended. */
export class MeasuredCrowdSource implements CrowdSource {
  private readonly latency: Histogram<'fetch' | 'outcome'>;

  constructor(
    private readonly source: CrowdSource,
    registry: Registry,
  ) {
    this.latency = new Histogram({
      name: 'spaceout_upstream_duration_seconds',
      help: 'Upstream fetches by what was fetched (venues, crowd-levels) and outcome (ok, failed), retries included.',
      labelNames: ['fetch', 'outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  fetchVenues(): Promise<Batch<Venue>> {
    return this.timed('venues', () => this.source.fetchVenues());
  }

  fetchCrowdLevels(): Promise<Batch<CrowdReading>> {
    return this.timed('crowd-levels', () => this.source.fetchCrowdLevels());
  }

  private async timed<T>(fetch: string, call: () => Promise<T>): Promise<T> {
    const stop = this.latency.startTimer({ fetch });
    try {
      const result = await call();
      stop({ outcome: 'ok' });
      return result;
    } catch (error) {
      stop({ outcome: 'failed' });
      throw error;
    }
  }
}
