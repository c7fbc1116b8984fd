import { EventBridgeClient, type EventBridgeClientConfig } from '@aws-sdk/client-eventbridge';

export interface EventBridgeClientSettings {
  /** A PutEvents-compatible endpoint, e.g. a local stub; the region's endpoint when absent. */
  readonly endpoint?: string;
  /** The SDK's own resolution (AWS_REGION, profile) when absent. */
  readonly region?: string;
  /** The SDK's default provider chain when absent. */
  readonly credentials?: EventBridgeClientConfig['credentials'];
  /** How long a request may wait for its answer before it fails (and the publisher retries it). */
  readonly requestTimeoutMs?: number;
}

/**
 * An EventBridge client for EventBridgePublisher. The SDK's own retries are off: the publisher
 * retries failed entries and failed requests under one budget, and would otherwise multiply them.
 */
export function createEventBridgeClient(settings: EventBridgeClientSettings = {}): EventBridgeClient {
  return new EventBridgeClient({
    ...(settings.region !== undefined && { region: settings.region }),
    ...(settings.endpoint !== undefined && { endpoint: settings.endpoint }),
    ...(settings.credentials !== undefined && { credentials: settings.credentials }),
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: 3_000,
      requestTimeout: settings.requestTimeoutMs ?? 10_000,
      // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
  });
}
