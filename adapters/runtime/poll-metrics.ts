import { Counter, Histogram, type Registry } from 'prom-client';
import type { PollSummary } from '../../domain/poll-summary.js';

/** Poll outcomes as Prometheus series, so an operator sees a failing or lossy upstream. */
export class PollMetrics {
  private readonly polls: Counter<'outcome'>;
  private readonly duration: Histogram;
  private readonly readings: Counter<'result'>;
  private readonly venues: Counter<'result'>;
  private readonly skips: Counter<'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.polls = new Counter({
      name: 'spaceout_polls_total',
      help: 'Polls of the upstream by outcome (ok, failed, skipped because one was running).',
      labelNames: ['outcome'],
      registers,
    });
    this.duration = new Histogram({
      name: 'spaceout_poll_duration_seconds',
      help: 'Duration of polls that completed.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.readings = new Counter({
      name: 'spaceout_readings_total',
      help: 'Crowd readings seen by polls, by result (stored, duplicate, rejected, orphan).',
      labelNames: ['result'],
      registers,
    });
    this.venues = new Counter({
      name: 'spaceout_venues_total',
      help: 'Facility-list records seen by polls, by result (added, updated, deactivated, rejected).',
      labelNames: ['result'],
      registers,
    });
    this.skips = new Counter({
      name: 'spaceout_poll_skips_total',
      help: 'Polls skipped, by reason: running (another poll is under way) or stale-lease (its holder died; polls resume when it expires).',
      labelNames: ['reason'],
      registers,
    });
    for (const outcome of ['ok', 'failed', 'skipped']) this.polls.inc({ outcome }, 0);
    for (const reason of ['running', 'stale-lease']) this.skips.inc({ reason }, 0);
  }

  completed(summary: PollSummary): void {
    this.polls.inc({ outcome: 'ok' });
    this.duration.observe((summary.finishedAt.getTime() - summary.startedAt.getTime()) / 1000);
    const { readings, venues } = summary;
    for (const result of ['stored', 'duplicate', 'rejected', 'orphan'] as const) this.readings.inc({ result }, readings[result]);
    for (const result of ['added', 'updated', 'deactivated', 'rejected'] as const) this.venues.inc({ result }, venues[result]);
  }

  failed(): void {
    this.polls.inc({ outcome: 'failed' });
  }

  skipped(reason: 'running' | 'stale-lease'): void {
    this.polls.inc({ outcome: 'skipped' });
    this.skips.inc({ reason });
  }
}
