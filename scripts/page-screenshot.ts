/**
 * `npm run screenshot`: the README's picture of the page, from a real run. It starts the whole
 * service (embedded store, the bundled simulator) as `npm start` does, replays today so far from
 * the simulator (one poll per simulated hour since 06:00 Singapore time, so a venue has a
 * day of readings to chart), opens the page in the browser the tests use, selects the quietest
 * venue near the map centre, and writes docs/page.png (or the file given with --out).
 *
 * Tiles are whatever MAP_TILE_URL says (OpenStreetMap by default); offline they do not load and
 * the picture shows the plain background the page falls back to.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { loadConfig } from '../adapters/runtime/config.js';
import { startService } from '../adapters/runtime/start-service.js';
import { launchChromium } from './chromium.js';
import { HOUR_MS, singaporeDayOf, startOfSingaporeDay } from '../domain/singapore-calendar.js';
import { startSimulator } from '../adapters/spaceout/simulator/simulator.js';

const STEP_MS = HOUR_MS;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'docs/page.png' },
      width: { type: 'string', default: '1280' },
      height: { type: 'string', default: '800' },
    },
  });
  const now = Date.now();
  const sixAm = startOfSingaporeDay(singaporeDayOf(now)).getTime() + 6 * HOUR_MS;
  let simulated = new Date(Math.min(sixAm, now - STEP_MS));
  const simulator = await startSimulator({ now: () => simulated });
  const dataDir = mkdtempSync(join(tmpdir(), 'spaceout-screenshot-'));
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    SPACEOUT_URL: simulator.url,
    POLL_INTERVAL_SECONDS: '0',
    LOG_LEVEL: 'warn',
  });
  const service = await startService(config, { logger: pino({ level: 'warn' }) });
  const browser = await launchChromium();
  try {
    for (; simulated.getTime() < now; simulated = new Date(Math.min(now, simulated.getTime() + STEP_MS)))
      await service.pollUpstream.execute();
    await service.pollUpstream.execute();
    const page = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) } });
    await page.goto(service.url);
    await page.waitForSelector('.venue-marker');
    await page.waitForSelector('#nearby-list button');
    await page.click('#nearby-list li:first-child button');
    await page.waitForSelector('#today-chart svg');
    // Let the pan to the venue and the tiles (if any) settle.
    await page.waitForTimeout(1500);
    await page.screenshot({ path: values.out });
    process.stdout.write(`wrote ${values.out} (${values.width}×${values.height}) from ${service.url}\n`);
  } finally {
    await browser.close();
    await service.stop();
    await simulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
