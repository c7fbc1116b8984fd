import type { DomainEvent } from '../../domain/events.js';

/** A staged event and the key that identifies it in the outbox (the same fact, the same key). */
export interface StagedEvent {
  readonly key: string;
  readonly event: DomainEvent;
}

/**
 * For keeping events until they are delivered, in the same store as the facts they describe,
 * so a process that dies between storing and publishing loses nothing.
 */
export interface EventOutbox {
  stage(events: readonly StagedEvent[]): Promise<void>;
  /** Oldest first. */
  pending(): Promise<readonly StagedEvent[]>;
  remove(keys: readonly string[]): Promise<void>;
}

export const EVENT_OUTBOX = Symbol.for('EventOutbox');
