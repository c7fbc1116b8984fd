/** One event that did not reach the bus, and the last reason it did not. */
export interface UndeliveredEvent {
  /** The envelope id, also the event's `detail.eventId`. */
  readonly id: string;
  readonly reason: string;
}

/**
 * Raised when some events of a publish did not reach the bus after every attempt. The ids are
 * exactly the ones to keep pending; every other event of the publish was delivered.
 */
export class EventDeliveryError extends Error {
  override readonly name = 'EventDeliveryError';
  readonly undeliveredIds: readonly string[];

  constructor(
    readonly undelivered: readonly UndeliveredEvent[],
    readonly delivered: number,
    busName: string,
    options?: { cause?: unknown },
  ) {
    const first = undelivered[0]?.reason ?? 'unknown reason';
    super(
      `${undelivered.length} of ${undelivered.length + delivered} events were not delivered to event bus ${busName} (first reason: ${first})`,
      options,
    );
    this.undeliveredIds = undelivered.map((event) => event.id);
  }
}
