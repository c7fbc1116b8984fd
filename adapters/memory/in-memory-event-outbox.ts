import { injectable } from 'inversify';
import type { EventOutbox, StagedEvent } from '../../application/ports/event-outbox.js';

@injectable()
export class InMemoryEventOutbox implements EventOutbox {
  private readonly staged = new Map<string, StagedEvent>();

  async stage(events: readonly StagedEvent[]): Promise<void> {
    for (const staged of events) if (!this.staged.has(staged.key)) this.staged.set(staged.key, staged);
  }

  async pending(): Promise<readonly StagedEvent[]> {
    return [...this.staged.values()];
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) this.staged.delete(key);
  }
}
