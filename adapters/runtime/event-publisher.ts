import { Counter, type Registry } from 'prom-client';
import type { EventPublisher } from '../../application/ports/event-publisher.js';
import { createEventBridgeClient } from '../eventbridge/eventbridge-client.js';
import { EventBridgePublisher } from '../eventbridge/eventbridge-publisher.js';
import { InProcessEventBus } from '../memory/in-process-event-bus.js';
import type { Config } from './config.js';

export interface EventOutlet {
  readonly publisher: EventPublisher;
  /** In-process subscribers see every event, whichever way it also leaves the process. */
  readonly bus: InProcessEventBus;
}

/** EVENT_BUS_NAME set: events go to that EventBridge bus (and in-process subscribers); unset: in-process only. */
export function openEventOutlet(config: Config, registry?: Registry): EventOutlet {
  const bus = new InProcessEventBus();
  if (config.eventBusName === null) return { publisher: bus, bus };
  const delivered = registry === undefined ? null : new Counter({ name: 'spaceout_events_total', help: 'Events sent to EventBridge, by result (sent, failed, retried).', labelNames: ['result'], registers: [registry] });
  const eventBridge = new EventBridgePublisher(createEventBridgeClient(), config.eventBusName, {
    onDelivery: (outcome) => {
      for (const result of ['sent', 'failed', 'retried'] as const) delivered?.inc({ result }, outcome[result]);
    },
  });
  return {
    bus,
    publisher: {
      publish: async (events) => {
        await bus.publish(events);
        await eventBridge.publish(events);
      },
    },
  };
}
