import type { DomainEvent } from '../../domain/events.js';

/** For telling the rest of the world what a poll established. */
export interface EventPublisher {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export const EVENT_PUBLISHER = Symbol.for('EventPublisher');
