/** Tokens of what only the composition root builds: settings, shared process state, the edges. */
export const CONFIG = Symbol.for('Config');
export const LOGGER = Symbol.for('Logger');
export const METRICS_REGISTRY = Symbol.for('MetricsRegistry');
/** Every domain event in-process, whichever way events also leave the process. */
export const IN_PROCESS_BUS = Symbol.for('InProcessEventBus');
/** Where events leave the process (in-process subscribers, EventBridge), after the webhook intake. */
export const EVENT_OUTLET = Symbol.for('EventOutlet');
/** Sends the webhook deliveries polls queued, beside the polling rather than in its way. */
export const WEBHOOK_DISPATCHER = Symbol.for('WebhookDispatcher');
/** The upstream being polled: the real site or the bundled simulator, with its address. */
export const UPSTREAM = Symbol.for('Upstream');
/** The store check behind /ready. */
export const READINESS_CHECK = Symbol.for('ReadinessCheck');
/** Whether shutdown began: /ready answers 503 and replies close their connections. */
export const DRAIN_STATE = Symbol.for('DrainState');
export const RESPONSE_CACHE = Symbol.for('ResponseCache');
/** The poll as every driver runs it: counted, logged, one at a time. */
export const MEASURED_POLL = Symbol.for('MeasuredPoll');
export const POLL_SCHEDULER = Symbol.for('PollScheduler');
export const HTTP_HANDLER = Symbol.for('HttpHandler');
/** What the web page is told: its map tiles and how often to look for new data. */
export const PAGE_SETTINGS = Symbol.for('PageSettings');

export interface DrainState {
  draining: boolean;
}
