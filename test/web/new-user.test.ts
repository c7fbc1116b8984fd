import test from 'ava';
import { chromiumMissingReason, launchChromium } from '../../scripts/chromium.js';
import { startServiceProcess } from '../support/service-process.js';
import { tempDataDir } from '../support/temp-dir.js';
import { collectErrors } from './page-fixture.js';

// Its own file, so its wait for the first poll runs beside the other browser tests.
const missing = chromiumMissingReason();

if (missing !== null) {
  console.log(`Skipping the new user's browser test: ${missing}`);
  test.skip(`npm start's page in a real browser (${missing})`, () => {});
} else {
  test("as a new user sees it: npm start's address fills with coloured venues from the first poll, no reload needed", async (t) => {
    // Offline, as here, tiles would only fail; the rest of the page is what is under test.
    // One poll only, so the page and the API below show the same readings.
    const service = await startServiceProcess({ PORT: '0', DATA_DIR: tempDataDir(t), MAP_TILE_URL: 'none', POLL_INTERVAL_SECONDS: '3600' });
    t.teardown(async () => {
      await service.stop();
    });
    const browser = await launchChromium();
    t.teardown(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = collectErrors(page);
    await page.goto(service.url);
    await page.waitForFunction(() => document.querySelectorAll('.venue-marker').length >= 300, undefined, { timeout: 60_000 });
    // Coloured by each venue's band: the map shows the bands the API reports, whatever the hour
    // (late at night the simulator's venues are nearly all quiet, so counting colours would not do).
    const onMap = await page
      .locator('.venue-marker .band-mark')
      .evaluateAll((marks) => [...new Set(marks.map((mark) => mark.getAttribute('class')))].sort());
    const latest = (await (await fetch(`${service.url}/v1/crowd-levels?limit=500`)).json()) as {
      items: Array<{ band: number; venueName: string | null }>;
    };
    // Readings of ids no facility list named (the simulator's orphans) have no place on a map.
    const ofKnownVenues = latest.items.filter(({ venueName }) => venueName !== null);
    t.deepEqual(onMap, [...new Set(ofKnownVenues.map(({ band }) => `band-mark band-${band}`))].sort());
    // The status line is written once the round's nearby list and details are in, a moment after the markers.
    await page.waitForFunction(() => document.querySelector('#status')?.textContent.startsWith('Updated') === true, undefined, {
      timeout: 10_000,
    });
    t.regex((await page.textContent('#status')) ?? '', /^Updated \d\d:\d\d Singapore time · \d{3} venues with a reading/);
    t.deepEqual(errors, []);
  });
}
