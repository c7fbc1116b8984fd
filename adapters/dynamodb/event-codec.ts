import type { DomainEvent } from '../../domain/events.js';

const DATE_FIELDS = new Set(['observedAt', 'detectedAt', 'startedAt', 'finishedAt', 'failedAt']);

/** Domain events as JSON text for the outbox; the instants come back as Dates. */
export function encodeEvent(event: DomainEvent): string {
  return JSON.stringify(event);
}

export function decodeEvent(text: string): DomainEvent {
  return JSON.parse(text, (key, value: unknown) =>
    DATE_FIELDS.has(key) && typeof value === 'string' ? new Date(value) : value,
  ) as DomainEvent;
}
