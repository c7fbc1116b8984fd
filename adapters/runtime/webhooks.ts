import type { EventPublisher } from '../../application/ports/event-publisher.js';
import type { QueueQuietAlerts } from '../../application/use-cases/queue-quiet-alerts.js';

/** The publisher that first queues the alerts a batch of events calls for, then passes the events on. */
export function queueingAlertsFirst(alerts: QueueQuietAlerts, publisher: EventPublisher): EventPublisher {
  return {
    publish: async (events) => {
      await alerts.execute(events);
      await publisher.publish(events);
    },
  };
}
