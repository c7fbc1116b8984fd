import { injectable } from 'inversify';
import type { EventPublisher } from '../../application/ports/event-publisher.js';
import type { DomainEvent } from '../../domain/events.js';

export type EventListener = (event: DomainEvent) => void | Promise<void>;

/** Delivers events to in-process subscribers; used when no EventBridge bus is configured. */
@injectable()
export class InProcessEventBus implements EventPublisher {
  private readonly listeners = new Set<EventListener>();
  readonly published: DomainEvent[] = [];
  private readonly keepHistory: boolean;

  constructor(options: { keepHistory?: boolean } = {}) {
    this.keepHistory = options.keepHistory ?? false;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.keepHistory) this.published.push(...events);
    for (const event of events) {
      for (const listener of this.listeners) await listener(event);
    }
  }
}
