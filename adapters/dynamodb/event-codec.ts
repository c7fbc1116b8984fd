import type { DomainEvent } from '../../domain/events.js';
import { parseWithDates } from './attribute-values.js';

const DATE_FIELDS = new Set(['observedAt', 'detectedAt', 'startedAt', 'finishedAt', 'failedAt']);

/** Domain events as JSON text for the outbox; the instants come back as Dates. */
export function encodeEvent(event: DomainEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(text: string): DomainEvent {
  return parseWithDates(text, DATE_FIELDS) as DomainEvent;
}
