/**
 * One load run, in a process of its own so the load generator never shares the service's
 * event loop: `tsx scripts/bench/load.ts '{"url":…,"paths":[…],"connections":16,"seconds":5}'`.
 * Each request takes a path at random from `paths`; prints autocannon's figures as JSON.
 */
import autocannon from 'autocannon';

interface LoadPlan {
  readonly url: string;
  readonly paths: readonly string[];
  readonly connections: number;
  readonly seconds: number;
}

const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
const [only] = plan.paths;
const result = await autocannon({
  url: plan.paths.length === 1 ? `${plan.url}${only}` : plan.url,
  connections: plan.connections,
  duration: plan.seconds,
  // One path needs no per-request work in the generator, so it stays as cheap as it can be.
  ...(plan.paths.length === 1
    ? {}
    : {
        requests: [
          { setupRequest: (request: object) => ({ ...request, path: plan.paths[Math.floor(Math.random() * plan.paths.length)] ?? '/' }) },
        ],
      }),
});
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }),
);
