/**
 * The metrics the stack derives from log lines: metric-filters.ts makes them, the alarms and
 * the dashboard read them.
 */
import { DETAIL_TYPES, EVENT_SOURCE } from '../adapters/eventbridge/event-envelope.js';
import { sub } from './intrinsics.js';

/** The namespace of the metrics the stack derives from logs, one per stack. */
export const LOG_METRIC_NAMESPACE = 'SpaceOutCrowd/${AWS::StackName}';
export const logMetricNamespace = sub(LOG_METRIC_NAMESPACE);

/** Requests slower than this count as slow (the NLB latency alarm; an NLB measures no latency itself). */
export const SLOW_REQUEST_MS = 2000;

export interface LogMetric {
  readonly name: string;
  /** The log group the filter reads: the service's (request lines) or the bus's (events). */
  readonly logGroup: 'service' | 'events';
  readonly pattern: string;
  /** `1` per matching line, or the JSON field whose number is the value. */
  readonly value: string;
  readonly unit: 'Count' | 'Milliseconds';
}

/**
 * The service's own request log lines (RequestTelemetry: `{"msg":"request","route":…,
 * "status":"200","ms":1.2}`, status as a string), less the load balancer's probes. Written
 * at LOG_LEVEL info and below.
 */
const servedRequest = '$.msg = "request" && $.route != "/health" && $.route != "/ready"';
/**
 * Every 5xx the service answers (500 unexpected, 502 upstream failed on an admin poll, 503
 * draining); listed, since a filter cannot compare a string as a number.
 */
const serverError = `(${['500', '502', '503', '504'].map((status) => `$.status = "${status}"`).join(' || ')})`;

/** The events the bus delivers to its log group, exactly as EventBridge delivers them. */
const crowdEvent = `$.source = "${EVENT_SOURCE}"`;
const detailType = (type: string) => `${crowdEvent} && $.detail-type = "${type}"`;

export const LOG_METRICS = {
  requests: { name: 'Requests', logGroup: 'service', pattern: `{ ${servedRequest} }`, value: '1', unit: 'Count' },
  serverErrors: { name: 'ServerErrors', logGroup: 'service', pattern: `{ ${servedRequest} && ${serverError} }`, value: '1', unit: 'Count' },
  slowRequests: {
    name: 'SlowRequests',
    logGroup: 'service',
    pattern: `{ ${servedRequest} && $.ms >= ${SLOW_REQUEST_MS} }`,
    value: '1',
    unit: 'Count',
  },
  requestDuration: {
    name: 'RequestDuration',
    logGroup: 'service',
    pattern: `{ ${servedRequest} && $.ms >= 0 }`,
    value: '$.ms',
    unit: 'Milliseconds',
  },
  pollsCompleted: {
    name: 'PollsCompleted',
    logGroup: 'events',
    pattern: `{ ${detailType(DETAIL_TYPES.PollCompleted)} }`,
    value: '1',
    unit: 'Count',
  },
  pollsFailed: {
    name: 'PollsFailed',
    logGroup: 'events',
    pattern: `{ ${detailType(DETAIL_TYPES.PollFailed)} }`,
    value: '1',
    unit: 'Count',
  },
  readingsStored: {
    name: 'ReadingsStored',
    logGroup: 'events',
    pattern: `{ ${detailType(DETAIL_TYPES.PollCompleted)} && $.detail.readings.stored >= 0 }`,
    value: '$.detail.readings.stored',
    unit: 'Count',
  },
  eventsPublished: { name: 'EventsPublished', logGroup: 'events', pattern: `{ ${crowdEvent} }`, value: '1', unit: 'Count' },
} as const satisfies Record<string, LogMetric>;
