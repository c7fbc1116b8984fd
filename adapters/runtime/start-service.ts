import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Container } from 'inversify';
import type { Logger } from 'pino';
import { PollUpstream } from '../../application/use-cases/poll-upstream.js';
import { DYNAMO_TABLE } from '../dynamodb/dynamo-table.js';
import type { InProcessEventBus } from '../memory/in-process-event-bus.js';
import { composeService, type AdapterFamilies } from './composition-root.js';
import { ConfigError, type Config } from './config.js';
import { createLogger } from './logger.js';
import type { PollScheduler } from './poll-scheduler.js';
import {
  DRAIN_STATE,
  HTTP_HANDLER,
  IN_PROCESS_BUS,
  LOGGER,
  POLL_SCHEDULER,
  UPSTREAM,
  WEBHOOK_DISPATCHER,
  type DrainState,
} from './runtime-tokens.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import type { OpenTable } from './store.js';
import type { Upstream } from './upstream.js';

/** Node server timeouts: slow clients cannot hold sockets open. */
export interface ServerTimeouts {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Longer than the load balancer's idle timeout, so it, not us, closes idle connections. */
  readonly keepAliveTimeoutMs: number;
  readonly checkIntervalMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  checkIntervalMs: 1_000,
};

export interface RunningService {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:3000 */
  readonly url: string;
  readonly pollUpstream: PollUpstream;
  /** Subscribe here to see every domain event in-process. */
  readonly events: InProcessEventBus;
  /** Where everything came from: tests and benchmarks read the adapters they swapped in. */
  readonly container: Container;
  /**
   * Drains: /ready answers 503 at once, the poll in flight finishes, webhook deliveries stop
   * between attempts (what is left stays pending), the server stops accepting and waits for
   * requests in flight, then the store and simulator close.
   */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
  readonly timeouts?: ServerTimeouts;
  /** Adapter families to use instead of the ones the settings choose (tests: the in-memory twins). */
  readonly families?: Partial<AdapterFamilies>;
  /** A container composed (and perhaps adjusted) by the caller, instead of one from `config`. */
  readonly container?: Container;
}

/** Starts the whole service described by `config`: store, upstream, scheduler and HTTP API. */
export async function startService(config: Config, options: StartOptions = {}): Promise<RunningService> {
  const container = options.container ?? composeService(config, options.logger ?? createLogger(config.logLevel), options.families);
  const logger = container.get<Logger>(LOGGER);
  try {
    const handler = await container.getAsync<RequestListener>(HTTP_HANDLER);
    const scheduler = await container.getAsync<PollScheduler>(POLL_SCHEDULER);
    const events = container.get<InProcessEventBus>(IN_PROCESS_BUS);
    // Locally the notifier runs after every poll, whatever its outcome (a failed poll may have relayed alerts).
    const notifier = await container.getAsync<WebhookDispatcher>(WEBHOOK_DISPATCHER);
    events.subscribe((event) => {
      if (event.type === 'PollCompleted' || event.type === 'PollFailed') notifier.kick();
    });
    const server = await listen(handler, config.port, config.host, options.timeouts ?? DEFAULT_SERVER_TIMEOUTS);
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    const store = container.isBound(DYNAMO_TABLE) ? (await container.getAsync<OpenTable>(DYNAMO_TABLE)).description : 'in memory';
    logger.info(
      { url, store, upstream: (await container.getAsync<Upstream>(UPSTREAM)).url, pollIntervalSeconds: config.pollIntervalSeconds },
      `listening on ${url}`,
    );
    scheduler.start();
    // What a previous run left pending goes out now, not only after the next poll.
    notifier.kick();
    return {
      url,
      pollUpstream: await container.getAsync(PollUpstream),
      events,
      container,
      stop: async () => {
        container.get<DrainState>(DRAIN_STATE).draining = true;
        await scheduler.stop();
        await notifier.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await container.unbindAllAsync();
      },
    };
  } catch (error) {
    // Whatever opened before the failure (the store, the simulator) closes with the container.
    await container.unbindAllAsync();
    throw error;
  }
}

async function listen(handler: RequestListener, port: number, host: string, timeouts: ServerTimeouts): Promise<Server> {
  const server = createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    handler,
  );
  await new Promise<void>((resolve, reject) => {
    // A host that does not resolve or a port in use is a setting the user must change.
    const refuse = (error: Error) =>
      reject(new ConfigError(`cannot listen on HOST=${JSON.stringify(host)} PORT=${port}: ${error.message}`));
    server.once('error', refuse);
    server.listen(port, host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  return server;
}
