import { pathToFileURL } from 'node:url';
import test, { type ExecutionContext } from 'ava';
import { pino } from 'pino';
import { loadConfig } from '../../../adapters/runtime/config.js';
import { WEBHOOK_DISPATCHER } from '../../../adapters/runtime/runtime-tokens.js';
import { startService, type RunningService } from '../../../adapters/runtime/start-service.js';
import type { WebhookDispatcher } from '../../../adapters/runtime/webhook-dispatcher.js';
import { bandAt, latestReportTime } from '../../../adapters/spaceout/simulator/crowd-model.js';
import { startSimulator, type Simulator } from '../../../adapters/spaceout/simulator/simulator.js';
import type { SimulatedVenue } from '../../../adapters/spaceout/simulator/venues.js';
import { startDynalite } from '../../../scripts/dynamodb-servers.js';
import { insideLoopbackOnlyNetwork } from '../../support/network-namespace.js';
import { runToCompletion } from '../../support/service-process.js';
import { tempDataDir } from '../../support/temp-dir.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

/**
 * The whole service (embedded store, the simulator on loopback, the HTTP API, the notifier)
 * and a real receiver on loopback, inside a network namespace with nothing but loopback.
 */
if (insideLoopbackOnlyNetwork(import.meta.url)) {
  const ADMIN_KEY = 'an-admin-key-for-webhook-tests';
  type Verify = (secret: string, signature: string | undefined, rawBody: string) => boolean;
  const { verifyWebhook } = (await import(pathToFileURL(`${process.cwd()}/docs/examples/verify-webhook.mjs`).href)) as {
    verifyWebhook: Verify;
  };

  /** A venue whose band is 2 or more at `before` and 1 or less at its report after: a drop the simulator really produces. */
  function bandDrop(simulator: Simulator): { venue: SimulatedVenue; before: Date; after: Date } {
    // 19:00 on a Wednesday in Singapore: evenings are busy, and they get quieter later on.
    const before = new Date('2026-11-25T11:00:00Z');
    for (const venue of simulator.venues.filter((v) => !simulator.silentVenueIds.includes(v.id))) {
      const first = latestReportTime(venue, before);
      if (bandAt(venue, first) < 2) continue;
      for (let minutes = 5; minutes <= 360; minutes += 5) {
        const after = new Date(before.getTime() + minutes * 60_000);
        const report = latestReportTime(venue, after);
        if (report.getTime() !== first.getTime() && bandAt(venue, report) <= 1) return { venue, before, after };
      }
    }
    throw new Error('the simulator produced no band drop to test with');
  }

  interface World {
    readonly service: RunningService;
    readonly simulator: Simulator;
    readonly hooks: WebhookReceiver;
    readonly drop: ReturnType<typeof bandDrop>;
    readonly logs: string[];
    setTime(at: Date): void;
    poll(): Promise<void>;
    subscribe(body?: Record<string, unknown>): Promise<{ status: number; body: unknown }>;
    subscription(id: string, secret: string): Promise<{ status: number; body: unknown }>;
    restart(): Promise<RunningService>;
  }

  async function world(t: ExecutionContext): Promise<World> {
    let now = new Date('2026-11-25T11:00:00Z');
    const simulator = await startSimulator({ venueCount: 20, now: () => now });
    const hooks = await startWebhookReceiver();
    const dataDir = tempDataDir(t, 'spaceout-webhooks-');
    const logs: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) });
    const config = loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      POLL_INTERVAL_SECONDS: '0',
      ADMIN_API_KEY: ADMIN_KEY,
      SPACEOUT_URL: simulator.url,
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      WEBHOOK_TIMEOUT_SECONDS: '1',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
    let service = await startService(config, { logger });
    t.teardown(async () => {
      await service.stop();
      await Promise.all([simulator.close(), hooks.close()]);
    });
    const call = async (method: string, path: string, headers: Record<string, string> = {}, body?: unknown) => {
      const response = await fetch(`${service.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : JSON.parse(text) };
    };
    const drop = bandDrop(simulator);
    return {
      get service() {
        return service;
      },
      simulator,
      hooks,
      drop,
      logs,
      setTime: (at) => {
        now = at;
      },
      poll: async () => {
        const reply = await call('POST', '/v1/admin/poll', { authorization: `Bearer ${ADMIN_KEY}` });
        if (reply.status !== 200) throw new Error(`poll failed: ${JSON.stringify(reply.body)}`);
      },
      subscribe: (body = {}) =>
        call(
          'POST',
          '/v1/subscriptions',
          { 'content-type': 'application/json' },
          { venueId: drop.venue.id, maxBand: 1, webhookUrl: hooks.url, ...body },
        ),
      subscription: (id, secret) => call('GET', `/v1/subscriptions/${id}`, { authorization: `Bearer ${secret}` }),
      restart: async () => {
        await service.stop();
        service = await startService(config, { logger });
        return service;
      },
    };
  }

  /** Subscribes before the drop, so the poll at `before` sets the band it drops from. */
  async function subscribedBeforeTheDrop(w: World) {
    w.setTime(w.drop.before);
    await w.poll();
    const created = await w.subscribe();
    if (created.status !== 201) throw new Error(`subscription refused: ${JSON.stringify(created.body)}`);
    return created.body as { id: string; secret: string };
  }

  /** Until the notifier has finished the runs the last poll asked for: anything they would send has been received. */
  const settle = async (w: World) => (await w.service.container.getAsync<WebhookDispatcher>(WEBHOOK_DISPATCHER)).idle();

  const metric = async (w: World, outcome: string) =>
    Number(
      new RegExp(`^spaceout_webhook_deliveries_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(
        await (await fetch(`${w.service.url}/metrics`)).text(),
      )?.[1],
    );

  test.serial('a subscription created through the API is told of a simulated band drop once, with a valid signature', async (t) => {
    const w = await world(t);
    const { id, secret } = await subscribedBeforeTheDrop(w);
    w.setTime(w.drop.after);
    await w.poll();
    const [alert] = await w.hooks.waitFor(1);
    t.true(verifyWebhook(secret, alert!.headers['x-signature'] as string, alert!.body));
    const payload = JSON.parse(alert!.body);
    t.like(payload, {
      subscriptionId: id,
      venueId: w.drop.venue.id,
      venueName: w.drop.venue.name,
      observedAt: latestReportTime(w.drop.venue, w.drop.after).toISOString(),
    });
    t.true(payload.band <= 1);
    t.regex(payload.deliveryId, /^[0-9a-f]{32}$/);

    await w.poll();
    w.setTime(new Date(w.drop.after.getTime() + 60_000));
    await w.poll();
    await settle(w);
    t.is(w.hooks.received.length, 1, 'polls while it stays quiet announce nothing more');
    t.like((await w.subscription(id, secret)).body, {
      status: 'active',
      deliveries: {
        delivered: 1,
        failed: 0,
        recent: [{ deliveryId: payload.deliveryId, outcome: 'delivered', attempts: 1, detail: 'HTTP 200' }],
      },
    });
    t.is(await metric(w, 'delivered'), 1);
    t.false(
      w.logs.some((line) => line.includes(secret)),
      'the secret is never logged',
    );
  });

  test.serial('a receiver that answers 500 twice then 200 gets the same delivery id three times, and nothing after', async (t) => {
    const w = await world(t);
    const { id, secret } = await subscribedBeforeTheDrop(w);
    w.hooks.answer(500, 500, 200);
    w.setTime(w.drop.after);
    await w.poll();
    const attempts = await w.hooks.waitFor(3);
    t.is(new Set(attempts.map((request) => JSON.parse(request.body).deliveryId)).size, 1);
    t.true(attempts.every((request) => verifyWebhook(secret, request.headers['x-signature'] as string, request.body)));
    await w.poll();
    await settle(w);
    t.is(w.hooks.received.length, 3);
    t.like((await w.subscription(id, secret)).body, { deliveries: { delivered: 1, recent: [{ outcome: 'delivered', attempts: 3 }] } });
  });

  test.serial('a receiver that times out is retried, then given up on and the delivery recorded as failed', async (t) => {
    const w = await world(t);
    const { id, secret } = await subscribedBeforeTheDrop(w);
    w.hooks.answer('hang', 'hang', 'hang', 'hang');
    w.setTime(w.drop.after);
    await w.poll();
    await w.hooks.waitFor(3);
    let shown: { deliveries: { failed: number } } | undefined;
    for (let i = 0; i < 50 && shown?.deliveries.failed !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      shown = (await w.subscription(id, secret)).body as typeof shown;
    }
    t.like(shown, {
      status: 'active',
      deliveries: {
        delivered: 0,
        failed: 1,
        consecutiveFailures: 1,
        recent: [{ outcome: 'failed', attempts: 3, detail: 'timed out after 1 s' }],
      },
    });
    await w.poll();
    await settle(w);
    t.is(w.hooks.received.length, 3, 'given up on: no fourth attempt');
    t.is(await metric(w, 'failed'), 1);
  });

  test.serial('a webhook URL to a private, link-local or unique-local address is refused at creation', async (t) => {
    const w = await world(t);
    await w.poll();
    for (const webhookUrl of [
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00::1]/hook',
      'http://192.168.1.1/hook',
    ]) {
      const refused = await w.subscribe({ webhookUrl });
      t.like(refused, { status: 400, body: { field: 'webhookUrl' } }, webhookUrl);
    }
  });

  test.serial('a deleted subscription receives nothing', async (t) => {
    const w = await world(t);
    const { id, secret } = await subscribedBeforeTheDrop(w);
    const deleted = await fetch(`${w.service.url}/v1/subscriptions/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${secret}` },
    });
    t.is(deleted.status, 204);
    w.setTime(w.drop.after);
    await w.poll();
    await settle(w);
    t.is(w.hooks.received.length, 0);
  });

  test.serial('a restart of the service loses no subscription: it reads the same and is told of the next drop', async (t) => {
    const w = await world(t);
    const { id, secret } = await subscribedBeforeTheDrop(w);
    const before = (await w.subscription(id, secret)).body;
    await w.restart();
    t.deepEqual((await w.subscription(id, secret)).body, before);
    w.setTime(w.drop.after);
    await w.poll();
    const [alert] = await w.hooks.waitFor(1);
    t.true(verifyWebhook(secret, alert!.headers['x-signature'] as string, alert!.body), 'signed with the secret given before the restart');
    t.is(JSON.parse(alert!.body).subscriptionId, id);
  });

  test.serial('as on AWS, with API and poll-once sharing one table, poll-once sends the alert its poll queued', async (t) => {
    let now = new Date('2026-11-25T11:00:00Z');
    const simulator = await startSimulator({ venueCount: 20, now: () => now });
    const [table, hooks] = await Promise.all([startDynalite(), startWebhookReceiver()]);
    const env = {
      DYNAMODB_ENDPOINT: table.endpoint,
      TABLE_NAME: 'crowd',
      SPACEOUT_URL: simulator.url,
      WEBHOOK_ALLOW_LOOPBACK: 'true',
      WEBHOOK_TIMEOUT_SECONDS: '1',
      LOG_LEVEL: 'info',
    };
    const api = await startService(loadConfig({ ...env, PORT: '0', POLL_INTERVAL_SECONDS: '0' }), { logger: pino({ level: 'silent' }) });
    t.teardown(async () => {
      await api.stop();
      await Promise.all([simulator.close(), hooks.close(), table.close()]);
    });
    const drop = bandDrop(simulator);
    now = drop.before;
    t.is((await runToCompletion('adapters/runtime/poll-once.ts', env)).code, 0);
    const created = await fetch(`${api.url}/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ venueId: drop.venue.id, maxBand: 1, webhookUrl: hooks.url }),
    });
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    now = drop.after;
    const run = await runToCompletion('adapters/runtime/poll-once.ts', env);
    t.is(run.code, 0, run.stderr);
    t.is(hooks.received.length, 1, 'sent before poll-once exited');
    t.true(verifyWebhook(secret, hooks.received[0]!.headers['x-signature'] as string, hooks.received[0]!.body));
    t.regex(run.stderr, /"webhooks":\{"delivered":1,/);
    t.false(run.stderr.includes(secret));
    const shown = await fetch(`${api.url}/v1/subscriptions/${id}`, { headers: { authorization: `Bearer ${secret}` } });
    t.like(await shown.json(), { deliveries: { delivered: 1 } });
  });
}
