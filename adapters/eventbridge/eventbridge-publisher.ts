import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry, type PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { injectable } from 'inversify';
import type { EventPublisher } from '../../application/ports/event-publisher.js';
import { waitBeforeRetry, type Backoff } from '../../application/use-cases/retry-backoff.js';
import type { DomainEvent } from '../../domain/events.js';
import { EventDeliveryError, type UndeliveredEvent } from './event-delivery-error.js';
import { toEnvelope } from './event-envelope.js';
import { intoBatches } from './put-events-batches.js';

export { createEventBridgeClient } from './eventbridge-client.js';

export interface DeliveryOutcome {
  /** Events the bus accepted. */
  readonly sent: number;
  /** Events still not accepted when the publish gave up. */
  readonly failed: number;
  /** Re-sends of events, summed over attempts. */
  readonly retried: number;
}

export interface EventBridgePublisherOptions {
  /** Attempts per event, the first one included. Default 6. */
  maxAttempts?: number;
  /** Cap of the first backoff; doubled per attempt, with full jitter. Default 100 ms. */
  baseDelayMs?: number;
  /** Largest backoff. Default 5 s. */
  maxDelayMs?: number;
  /** Called once per publish, delivered or not, for metrics. */
  onDelivery?: (outcome: DeliveryOutcome) => void;
}

/** Per-entry codes AWS documents as permanent; anything else (InternalFailure, ThrottlingException, new codes) is retried. */
const PERMANENT_ENTRY_ERRORS = new Set([
  'AccessDeniedException',
  'InvalidAccountIdException',
  'InvalidArgument',
  'MalformedDetail',
  'RedactionFailure',
  'NotAuthorizedForSourceException',
  'NotAuthorizedForDetailTypeException',
]);

const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottledException',
]);

interface Outgoing {
  readonly id: string;
  readonly entry: PutEventsRequestEntry;
}

interface Failure {
  readonly outgoing: Outgoing;
  readonly reason: string;
}

interface Round {
  readonly sent: number;
  readonly retryable: readonly Failure[];
  readonly permanent: readonly Failure[];
  readonly requestError?: unknown;
}

/**
 * Publishes domain events to an EventBridge bus with PutEvents. Entries the bus refuses and
 * requests that fail are retried, with exponential backoff and full jitter, under one budget:
 * the SDK only retries whole requests, and a PutEvents reply can fail some entries and not others.
 */
@injectable()
export class EventBridgePublisher implements EventPublisher {
  private readonly maxAttempts: number;
  private readonly backoff: Backoff;
  private readonly onDelivery: ((outcome: DeliveryOutcome) => void) | undefined;

  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    options: EventBridgePublisherOptions = {},
  ) {
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 6);
    this.backoff = { baseDelayMs: options.baseDelayMs ?? 100, maxDelayMs: options.maxDelayMs ?? 5_000 };
    this.onDelivery = options.onDelivery;
  }

  /** Throws EventDeliveryError naming exactly the events that did not reach the bus. */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { batches, oversize } = intoBatches(
      events.map((event) => this.outgoing(event)),
      (outgoing) => outgoing.entry,
    );
    const undelivered: UndeliveredEvent[] = oversize.map(({ id }) => ({
      id,
      reason: 'the event is larger than a PutEvents request allows',
    }));

    let pending = batches.flat();
    let sent = 0;
    let retried = 0;
    let lastRequestError: unknown;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const round = await this.sendOnce(pending);
      sent += round.sent;
      lastRequestError = round.requestError ?? lastRequestError;
      undelivered.push(...round.permanent.map(undeliveredEvent));
      if (round.retryable.length > 0 && attempt >= this.maxAttempts) {
        undelivered.push(...round.retryable.map(undeliveredEvent));
        break;
      }
      pending = round.retryable.map((failure) => failure.outgoing);
      if (pending.length > 0) {
        retried += pending.length;
        await waitBeforeRetry(attempt, this.backoff);
      }
    }

    this.onDelivery?.({ sent, failed: undelivered.length, retried });
    if (undelivered.length > 0) {
      throw new EventDeliveryError(
        undelivered,
        sent,
        this.busName,
        lastRequestError === undefined ? undefined : { cause: lastRequestError },
      );
    }
  }

  private outgoing(event: DomainEvent): Outgoing {
    const envelope = toEnvelope(event);
    return {
      id: envelope.id,
      entry: {
        EventBusName: this.busName,
        Source: envelope.source,
        DetailType: envelope.detailType,
        Detail: JSON.stringify(envelope.detail),
        Resources: [],
        Time: new Date(envelope.time),
      },
    };
  }

  /** One attempt at every pending entry, re-batched so retried entries share requests. */
  private async sendOnce(pending: readonly Outgoing[]): Promise<Round> {
    let sent = 0;
    const retryable: Failure[] = [];
    const permanent: Failure[] = [];
    let requestError: unknown;
    for (const batch of intoBatches(pending, (outgoing) => outgoing.entry).batches) {
      try {
        const reply = await this.client.send(new PutEventsCommand({ Entries: batch.map((outgoing) => outgoing.entry) }));
        batch.forEach((outgoing, index) => {
          const result = reply.Entries?.[index];
          if (isAccepted(result)) sent++;
          else (isPermanentEntryError(result) ? permanent : retryable).push({ outgoing, reason: entryFailureReason(result) });
        });
      } catch (error) {
        requestError = error;
        const failures = batch.map((outgoing) => ({ outgoing, reason: requestFailureReason(error) }));
        (isRetryableRequestError(error) ? retryable : permanent).push(...failures);
      }
    }
    return { sent, retryable, permanent, requestError };
  }
}

function isAccepted(result: PutEventsResultEntry | undefined): boolean {
  return result !== undefined && result.ErrorCode === undefined && typeof result.EventId === 'string';
}

function isPermanentEntryError(result: PutEventsResultEntry | undefined): boolean {
  return result?.ErrorCode !== undefined && PERMANENT_ENTRY_ERRORS.has(result.ErrorCode);
}

function entryFailureReason(result: PutEventsResultEntry | undefined): string {
  if (result === undefined) return 'the reply had no result for this entry';
  return `${result.ErrorCode ?? 'no EventId'}: ${result.ErrorMessage ?? 'no message'}`;
}

interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly $retryable?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** Network failures, timeouts, 5xx and throttling are worth another try; other 4xx replies are not. */
function isRetryableRequestError(error: unknown): boolean {
  const { name, $retryable, $metadata } = (error ?? {}) as SdkError;
  const status = $metadata?.httpStatusCode;
  if (status === undefined || $retryable !== undefined) return true;
  return status >= 500 || status === 429 || (name !== undefined && THROTTLING_ERRORS.has(name));
}

function requestFailureReason(error: unknown): string {
  const { name, message, $metadata } = (error ?? {}) as SdkError;
  const status = $metadata?.httpStatusCode;
  return `PutEvents request failed${status === undefined ? '' : ` with HTTP ${status}`}: ${name ?? 'Error'}: ${message ?? String(error)}`;
}

function undeliveredEvent(failure: Failure): UndeliveredEvent {
  return { id: failure.outgoing.id, reason: failure.reason };
}
