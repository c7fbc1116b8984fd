import { startSimulator } from '../adapters/spaceout/simulator/simulator.js';

/** `npm run simulator`: the SpaceOut stand-in on its own, for trying clients against it. */
const port = Number(process.env['PORT'] ?? 4000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`simulator: PORT=${JSON.stringify(process.env['PORT'])} is invalid: expected a whole number from 0 to 65535\n`);
  process.exit(1);
}
const key = process.env['SPACEOUT_KEY'] || undefined;
const host = process.env['HOST'] || '127.0.0.1';

try {
  const simulator = await startSimulator({ port, host, ...(key === undefined ? {} : { key }) });
  process.stdout.write(`SpaceOut simulator: ${simulator.venues.length} venues at ${simulator.url}\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void simulator.close().then(() => process.exit(0)));
  }
} catch (error) {
  process.stderr.write(`simulator: could not start on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
