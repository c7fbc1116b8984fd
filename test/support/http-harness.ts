import { pino } from 'pino';
import type { Clock } from '../../application/ports/clock.js';
import { READING_REPOSITORY } from '../../application/ports/reading-repository.js';
import { SUBSCRIPTION_REPOSITORY } from '../../application/ports/subscription-repository.js';
import { VENUE_REPOSITORY } from '../../application/ports/venue-repository.js';
import { WEBHOOK_URL_POLICY } from '../../application/ports/webhook-url-policy.js';
import type { PageSettings } from '../../adapters/http/web-page.js';
import { FixedCrowdSource } from '../../adapters/memory/fixed-crowd-source.js';
import type { InMemoryReadingRepository } from '../../adapters/memory/in-memory-reading-repository.js';
import type { InMemorySubscriptionRepository } from '../../adapters/memory/in-memory-subscription-repository.js';
import type { InMemoryVenueRepository } from '../../adapters/memory/in-memory-venue-repository.js';
import { clockModule, composeService, fixedUpstreamModule, memoryStoreModule } from '../../adapters/runtime/composition-root.js';
import { loadConfig } from '../../adapters/runtime/config.js';
import { DRAIN_STATE, PAGE_SETTINGS, READINESS_CHECK, type DrainState } from '../../adapters/runtime/runtime-tokens.js';
import { startService } from '../../adapters/runtime/start-service.js';
import { WebhookAddressGuard, type Resolver } from '../../adapters/webhooks/webhook-address-guard.js';
import { fixedResolver, PUBLIC_HOOKS } from './fixed-resolver.js';

export const ADMIN_KEY = 'test-admin-key-0123456789';

/** A reply's body as JSON.parse gives it: the tests assert its shape with ava. */
type JsonBody = ReturnType<typeof JSON.parse>;

export interface Harness {
  readonly url: string;
  readonly source: FixedCrowdSource;
  readonly venues: InMemoryVenueRepository;
  readonly readings: InMemoryReadingRepository;
  readonly subscriptions: InMemorySubscriptionRepository;
  ready: boolean;
  draining: boolean;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: JsonBody }>;
  post(path: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; headers: Headers; body: JsonBody }>;
  request(
    method: string,
    path: string,
    headers?: Record<string, string>,
    body?: string,
  ): Promise<{ status: number; headers: Headers; body: JsonBody }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly adminApiKey?: string | null;
  readonly clock?: Clock;
  /** More settings, as environment variables (CORS_ALLOWED_ORIGINS, CACHE_MAX_AGE_SECONDS, …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly page?: PageSettings;
  /** DNS for webhook URLs: fixed answers, never the real resolver (default: hooks.example.com is public). */
  readonly resolve?: Resolver;
  readonly allowLoopback?: boolean;
}

/**
 * The service as `npm start` wires it, on a loopback socket, with the store's in-memory twins and
 * a crowd source the test controls in place of the upstream; readiness and draining are switches.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const source = new FixedCrowdSource();
  const adminApiKey = options.adminApiKey === undefined ? ADMIN_KEY : options.adminApiKey;
  const config = loadConfig({
    PORT: '0',
    POLL_INTERVAL_SECONDS: '0',
    CURSOR_SECRET: 'test-cursor-secret-123',
    ...(adminApiKey === null ? {} : { ADMIN_API_KEY: adminApiKey }),
    ...options.env,
  });
  const container = composeService(config, pino({ level: 'silent' }), {
    store: memoryStoreModule,
    upstream: fixedUpstreamModule(source),
    clock: clockModule(options.clock ?? { now: () => new Date('2020-08-01T05:00:00Z') }),
  });
  const state = { ready: true };
  container.rebind(READINESS_CHECK).toConstantValue(async () => {
    if (!state.ready) throw new Error('store down');
  });
  if (options.page !== undefined) container.rebind(PAGE_SETTINGS).toConstantValue(options.page);
  container.rebind(WEBHOOK_URL_POLICY).toConstantValue(
    new WebhookAddressGuard({
      allowLoopback: options.allowLoopback ?? false,
      ports: config.webhookPorts,
      resolve: options.resolve ?? fixedResolver(PUBLIC_HOOKS),
    }),
  );
  const service = await startService(config, { container });
  const drain = container.get<DrainState>(DRAIN_STATE);
  const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: string) => {
    const response = await fetch(`${service.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, headers: response.headers, body: type.includes('json') && text !== '' ? JSON.parse(text) : text };
  };
  return {
    url: service.url,
    source,
    venues: container.get<InMemoryVenueRepository>(VENUE_REPOSITORY),
    readings: container.get<InMemoryReadingRepository>(READING_REPOSITORY),
    subscriptions: container.get<InMemorySubscriptionRepository>(SUBSCRIPTION_REPOSITORY),
    get ready() {
      return state.ready;
    },
    set ready(value: boolean) {
      state.ready = value;
    },
    get draining() {
      return drain.draining;
    },
    set draining(value: boolean) {
      drain.draining = value;
    },
    get: (path, headers) => call('GET', path, headers),
    post: (path, headers, body) => call('POST', path, headers, body),
    request: (method, path, headers, body) => call(method, path, headers, body),
    close: () => service.stop(),
  };
}
