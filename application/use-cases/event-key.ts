import { createHash } from 'node:crypto';
import type { StagedEvent } from '../ports/event-outbox.js';
import type { DomainEvent } from '../../domain/events.js';

/** The same fact gives the same key, so staging an event twice keeps one copy. */
export function staged(event: DomainEvent): StagedEvent {
  return { key: createHash('sha256').update(JSON.stringify(event)).digest('hex').slice(0, 32), event };
}

/** Staged events, one per key: a reply can repeat a reading, and so its events. */
export function stagedOnce(events: readonly DomainEvent[]): StagedEvent[] {
  return [...new Map(events.map(staged).map((s) => [s.key, s])).values()];
}
