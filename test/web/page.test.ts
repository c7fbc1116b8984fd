import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import anyTest, { type TestFn } from 'ava';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { chromiumMissingReason, launchChromium } from '../../scripts/chromium.js';
import type { Harness } from '../support/http-harness.js';
import {
  BISHAN,
  SHOWN,
  VENUES,
  collectErrors,
  fairPriceSinceMidnight,
  seededService,
  singaporeWeekday,
  startTileServer,
  waitForCount,
  type TileServer,
} from './page-fixture.js';
import { aReading } from '../support/builders.js';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const test = anyTest as TestFn<{ browser: Browser }>;
const LABELS = ['not crowded', 'moderately crowded', 'crowded', 'very crowded'];

interface Opened {
  readonly api: Harness;
  readonly tiles: TileServer;
  readonly page: Page;
  readonly errors: string[];
  readonly requests: string[];
}

/** The seeded service and a tile server, and the page open in a fresh browser context; all closed when the test ends. */
async function open(
  t: { context: { browser: Browser }; teardown(fn: () => Promise<void>): void },
  options: { context?: BrowserContextOptions; refreshSeconds?: number; prepare?: (page: Page, tiles: TileServer) => Promise<void> } = {},
): Promise<Opened> {
  const tiles = await startTileServer();
  t.teardown(() => tiles.close());
  const api = await seededService({
    tileUrl: tiles.template,
    ...(options.refreshSeconds === undefined ? {} : { refreshSeconds: options.refreshSeconds }),
  });
  t.teardown(() => api.close());
  // Reduced motion: the map jumps rather than glides (a feature of the page), which keeps these tests quick.
  const context = await t.context.browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
    ...options.context,
  });
  t.teardown(() => context.close());
  const page = await context.newPage();
  const errors = collectErrors(page);
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await options.prepare?.(page, tiles);
  // The markers are what the tests wait for; the load event would also wait for every tile.
  await page.goto(api.url, { waitUntil: 'domcontentloaded' });
  await waitForCount(page, '.venue-marker', SHOWN.length);
  await page.waitForSelector('#nearby-list button');
  return { api, tiles, page, errors, requests };
}

/** Chooses the first venue the search finds, as a person would. */
async function choose(page: Page, search: string): Promise<void> {
  await page.fill('#search', search);
  await page.click('#search-results button');
}

const markerOf = (page: Page, venueId: string) => page.locator(`.venue-marker:has([data-venue-id="${venueId}"])`);
const listed = (page: Page, list: string) =>
  page.locator(`${list} button`).evaluateAll((buttons) => buttons.map((b) => (b as HTMLElement).dataset['venueId']));

async function axeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(source);
  const results = await page.evaluate(async () =>
    (
      globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }
    ).axe.run(),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.nodes.length} nodes)`);
}

const missing = chromiumMissingReason();

if (missing !== null) {
  console.log(`Skipping the browser tests of the page: ${missing}`);
  test.skip(`the page in a real browser (${missing})`, () => {});
} else {
  test.before(async (t) => {
    t.context.browser = await launchChromium();
  });
  test.after.always(async (t) => {
    // Unset when the launch in test.before failed.
    await (t.context.browser as Browser | undefined)?.close();
  });

  test.serial(
    'the map shows one marker per active venue with a reading, its band as shape and colour, named in its title and in the legend',
    async (t) => {
      const { page } = await open(t);
      for (const venue of SHOWN) {
        const marker = markerOf(page, venue.id);
        t.is(await marker.getAttribute('title'), `${venue.name}: ${LABELS[venue.band!]}`);
        t.is(await marker.locator('.band-mark').getAttribute('class'), `band-mark band-${venue.band}`);
      }
      const colours = await page
        .locator('.legend .band-mark')
        .evaluateAll((marks) => marks.map((mark) => getComputedStyle(mark).backgroundColor));
      t.is(new Set(colours).size, 4, 'four different colours');
      const legend = await page.locator('.legend li').allTextContents();
      t.deepEqual(
        legend.map((text) => text.replace(/\s+/g, ' ').trim()),
        ['not crowded (2)', 'moderately crowded (1)', 'crowded (1)', 'very crowded (1)'],
      );
    },
  );

  test.serial('the type filter keeps only venues of that type, on the map and in the nearby list', async (t) => {
    const { page } = await open(t);
    t.deepEqual(await page.locator('#type option').allInnerTexts(), ['All types', 'Mall', 'Market', 'Park', 'Supermarket']);
    await page.selectOption('#type', 'MALL');
    await waitForCount(page, '.venue-marker', 2);
    t.true(await markerOf(page, 'tampines-mall').isVisible());
    t.true(await markerOf(page, 'jurong-point').isVisible());
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('#nearby-list button')].every((b) =>
        ['tampines-mall', 'jurong-point'].includes(b.dataset['venueId']!),
      ),
    );
    t.true((await listed(page, '#nearby-list')).length > 0);
  });

  test.serial('search by name or address narrows the map and lists the matches, a venue without a reading included', async (t) => {
    const { page } = await open(t);
    await page.fill('#search', 'bishan');
    await waitForCount(page, '.venue-marker', 3);
    t.deepEqual(await listed(page, '#search-results'), ['bishan-market', 'cold-storage-bishan', 'fairprice-bishan']);
    t.is(await page.textContent('#search-summary'), '3 venues match:');
    await page.fill('#search', 'pasir ris green');
    await waitForCount(page, '.venue-marker', 0);
    t.deepEqual(await listed(page, '#search-results'), ['pasir-ris-park']);
    t.regex(
      (await page.locator('#search-results button').innerText()).replace(/\s+/g, ' '),
      /Pasir Ris Park Pasir Ris Green · no reading yet/,
    );
    await page.click('#search-results button');
    await page.waitForSelector('#details:not([hidden]) #details-heading:text("Pasir Ris Park")');
    t.is(await page.textContent('#details-now'), 'No reading yet.');
  });

  test.serial(
    'quiet near you: with the position allowed, the list is ordered by band then distance, with distance and how long ago',
    async (t) => {
      const { page } = await open(t, {
        context: { geolocation: { latitude: BISHAN.lat, longitude: BISHAN.lng }, permissions: ['geolocation'] },
      });
      await page.click('#locate');
      await page.waitForSelector('#nearby-heading:text("Quiet near you")');
      await page.waitForFunction(() => document.querySelectorAll('#nearby-list button').length === 3);
      t.deepEqual(await listed(page, '#nearby-list'), ['fairprice-bishan', 'bishan-market', 'cold-storage-bishan']);
      const lines = (await page.locator('#nearby-list .venue-meta').allInnerTexts()).map((text) => text.trim());
      // The map centre lands within a pixel of the position: a few metres at this zoom.
      t.regex(lines[0]!, /^not crowded · (0|10) m · observed (\d+ min ago|just now)$/);
      t.regex(lines[1]!, /^not crowded · 1[6-8]0 m · observed 5 min ago$/);
      t.regex(lines[2]!, /^moderately crowded · 1[6-8]0 m · observed 5 min ago$/);
      t.regex((await page.textContent('#nearby-summary')) ?? '', /^Within [\d.]+ k?m: quietest first, then nearest\.$/);
    },
  );

  test.serial("a venue is chosen and closed by keyboard alone; it shows its details and today's readings as a chart", async (t) => {
    const { page } = await open(t);
    for (let presses = 0; presses < 40; presses++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.closest('#nearby-list') !== null)) break;
    }
    const chosen = await page.evaluate(() => (document.activeElement as HTMLElement).dataset['venueId']);
    t.truthy(chosen, 'Tab reached the nearby list');
    await page.keyboard.press('Enter');
    const venue = VENUES.find((v) => v.id === chosen)!;
    await page.waitForSelector(`#details-heading:text("${venue.name}")`);
    t.true(await page.evaluate(() => document.activeElement?.id === 'details'), 'the focus follows to the details');
    t.true(await markerOf(page, venue.id).evaluate((marker) => marker.classList.contains('selected')));
    t.regex((await page.textContent('#details-now')) ?? '', new RegExp(`^Now ${LABELS[venue.band!]}, observed`));
    await page.waitForSelector('#today-chart svg[role="img"]');
    await page.keyboard.press('Tab');
    t.is(await page.evaluate(() => document.activeElement?.id), 'details-close');
    await page.keyboard.press('Enter');
    t.false(await page.isVisible('#details'));
    t.is(
      await page.evaluate(() => (document.activeElement as HTMLElement).dataset['venueId']),
      chosen,
      'the focus is back where the venue was chosen',
    );
  });

  test.serial("today's chart has one bar per reading since Singapore midnight, and a table of them", async (t) => {
    const { page } = await open(t);
    await choose(page, 'FairPrice');
    await page.waitForSelector('#today-chart svg');
    const now = new Date();
    const today = new Set(fairPriceSinceMidnight(now).map((r) => r.observedAt.getTime()));
    t.is(await page.locator('#today-chart rect.reading').count(), today.size);
    t.is(await page.locator('#today-chart tbody tr').count(), today.size);
    t.regex(
      (await page.locator('#today-chart svg title').textContent()) ?? '',
      new RegExp(`^Today's ${today.size} readings from \\d\\d:\\d\\d; the latest not crowded$`),
    );
  });

  test.serial("with the service's profile route, today's readings count in the usual week of today's weekday", async (t) => {
    const { page } = await open(t);
    await choose(page, 'FairPrice');
    await page.waitForSelector('#usual:not([hidden]) #usual-chart svg');
    const now = new Date();
    const byHour = new Map<number, number[]>();
    for (const reading of fairPriceSinceMidnight(now)) {
      const hour = new Date(reading.observedAt.getTime() + 8 * 3_600_000).getUTCHours();
      byHour.set(hour, [...(byHour.get(hour) ?? []), reading.band]);
    }
    const means = [...byHour]
      .map(([hour, bands]) => ({ hour, mean: bands.reduce((a, b) => a + b, 0) / bands.length }))
      .sort((a, b) => a.mean - b.mean || a.hour - b.hour);
    const readings = [...byHour.values()].reduce((sum, bands) => sum + bands.length, 0);
    // Just after Singapore midnight every reading may sit in one hour: then no hour is named.
    const hoursDiffer = new Set(means.map(({ mean }) => mean)).size > 1;
    t.is(
      await page.textContent('#usual-quietest'),
      hoursDiffer
        ? `Usually quietest at ${String(means[0]!.hour).padStart(2, '0')}:00 (from ${readings} readings)`
        : `Only ${readings} ${readings === 1 ? 'reading' : 'readings'} on ${WEEKDAYS[singaporeWeekday(now) - 1]!}s so far, too few to tell its quiet hours apart.`,
    );
    t.is(await page.locator('#usual-chart rect.no-data').count(), 24 - byHour.size, 'the hours without readings');
  });

  test.serial('a service without the profile route (an older one): the usual week stays hidden and is never asked for', async (t) => {
    const { page, requests } = await open(t, {
      prepare: async (page) => {
        await page.route('**/openapi.json', async (route) => {
          const document = await (await route.fetch()).json();
          delete document.paths['/v1/venues/{id}/profile'];
          await route.fulfill({ json: document });
        });
      },
    });
    await choose(page, 'FairPrice');
    await page.waitForSelector('#today-chart svg');
    t.false(await page.isVisible('#usual'));
    t.false(requests.some((url) => url.includes('/profile')));
  });

  /** A weekday of the profile served in place of the service's: its named hours and its 24 hours. */
  interface ProfileWeekday {
    quietestHour: number;
    busiestHour: number;
    hours: Array<{ hour: number; averageBand: number | null; samples: number }>;
  }

  /** FairPrice chosen, its usual week drawn from a four-week profile (which seeded readings cannot give); index 0 is Monday. */
  async function chooseWithProfile(t: Parameters<typeof open>[0], weekdayOf: (index: number) => ProfileWeekday): Promise<Page> {
    const profile = {
      venueId: 'fairprice-bishan',
      weeks: 4,
      from: '2026-10-29T16:00:00.000Z',
      to: new Date().toISOString(),
      days: WEEKDAYS.map((weekdayName, index) => ({ weekday: index + 1, weekdayName, ...weekdayOf(index) })),
    };
    const { page } = await open(t, {
      prepare: async (page) => {
        await page.route(
          (url) => /^\/v1\/venues\/[^/]+\/profile$/.test(url.pathname),
          (route) => route.fulfill({ json: profile }),
        );
      },
    });
    await choose(page, 'FairPrice');
    await page.waitForSelector('#usual:not([hidden]) #usual-chart svg');
    return page;
  }

  test.serial("the usual week charts the profile's band for each hour of today's weekday and names its quietest hour", async (t) => {
    const weekday = singaporeWeekday(new Date());
    const page = await chooseWithProfile(t, (index) => ({
      quietestHour: index + 2,
      busiestHour: 19,
      hours: Array.from({ length: 24 }, (_, hour) =>
        hour < 7
          ? { hour, averageBand: null, samples: 0 }
          : { hour, averageBand: hour === index + 2 ? 0 : Math.min(3, hour / 8), samples: 12 },
      ),
    }));
    t.is(await page.textContent('#usual-heading'), `Usually on ${WEEKDAYS[weekday - 1]!}s (last 4 weeks)`);
    t.is(await page.textContent('#usual-quietest'), `Usually quietest at ${String(weekday + 1).padStart(2, '0')}:00 (from 204 readings)`);
    t.is(await page.locator('#usual-chart rect.usual').count(), 24);
    t.is(await page.locator('#usual-chart rect.no-data').count(), 7);
    t.is(await page.locator('#usual-chart tbody tr').count(), 24);
  });

  test.serial('with readings in only one hour of the weekday, the page names no quietest hour and says how few there are', async (t) => {
    const weekday = singaporeWeekday(new Date());
    const page = await chooseWithProfile(t, () => ({
      quietestHour: 9,
      busiestHour: 9,
      hours: Array.from({ length: 24 }, (_, hour) => ({ hour, averageBand: hour === 9 ? 1 : null, samples: hour === 9 ? 1 : 0 })),
    }));
    t.is(
      await page.textContent('#usual-quietest'),
      `Only 1 reading on ${WEEKDAYS[weekday - 1]!}s so far, too few to tell its quiet hours apart.`,
    );
  });

  test.serial(
    'fresh data arrives without a reload: unchanged answers are 304s, a new reading recolours its marker, and the page says when it updated',
    async (t) => {
      const { api, page } = await open(t, { refreshSeconds: 1 });
      const statuses: number[] = [];
      page.on('response', (response) => {
        if (response.url().endsWith('/v1/crowd-levels?limit=500')) statuses.push(response.status());
      });
      await page.waitForResponse((response) => response.url().endsWith('/v1/crowd-levels?limit=500') && response.status() === 304);
      await api.readings.record([aReading('tampines-mall', new Date().toISOString(), 0)]);
      await page.waitForSelector('.venue-marker[title="Tampines Mall: not crowded"] .band-0', { timeout: 5_000 });
      t.true(statuses.includes(200));
      t.regex(
        (await page.textContent('#status')) ?? '',
        /^Updated \d\d:\d\d Singapore time · 5 venues with a reading · the newest (just now|1 min ago)$/,
      );
    },
  );

  test.serial('a refresh keeps the keyboard focus on the venue it was on', async (t) => {
    const { page } = await open(t, { refreshSeconds: 1 });
    await page.focus('#nearby-list li:nth-child(2) button');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement).dataset['venueId']);
    for (let refreshes = 0; refreshes < 2; refreshes++)
      await page.waitForResponse((response) => response.url().includes('/v1/crowd-levels?near='));
    await page.waitForTimeout(100);
    t.is(await page.evaluate(() => (document.activeElement as HTMLElement).dataset['venueId']), focused);
  });

  test.serial('with the tiles blocked, the markers, legend, list and details still work over a plain background', async (t) => {
    const { page, errors } = await open(t, {
      prepare: async (page, tiles) => {
        await page.route(`${tiles.origin}/**`, (route) => route.abort('blockedbyclient'));
      },
    });
    t.true(await page.isVisible('.legend'));
    t.true((await listed(page, '#nearby-list')).length > 0);
    await markerOf(page, 'jurong-point').click();
    await page.waitForSelector('#details-heading:text("Jurong Point")');
    t.regex((await page.textContent('#details-now')) ?? '', /^Now very crowded/);
    t.true(
      errors.every((error) => error.includes('net::ERR_BLOCKED_BY_CLIENT')),
      errors.join('\n'),
    );
  });

  test.serial('the page asks no host but the service and the tile host, sends its own CSP, and logs no console error', async (t) => {
    const { api, tiles, page, errors, requests } = await open(t);
    await choose(page, 'Tampines');
    await page.waitForSelector('#today-chart svg');
    const reply = await fetch(api.url);
    t.is(
      reply.headers.get('content-security-policy'),
      `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: ${tiles.origin}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    t.is((await fetch(`${api.url}/v1/venues`)).headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
    const origins = new Set(requests.map((url) => new URL(url).origin));
    t.deepEqual([...origins].sort(), [api.url, tiles.origin].sort());
    t.true(tiles.requests.length > 0, 'the tiles were asked for');
    t.deepEqual(errors, []);
  });

  test.serial(
    'axe-core finds no serious violation, at desktop width with a venue open and at phone width (360 px), where nothing overflows sideways',
    async (t) => {
      const { page } = await open(t);
      await choose(page, 'FairPrice');
      await page.waitForSelector('#today-chart svg');
      t.deepEqual(await axeViolations(page), []);
      await page.setViewportSize({ width: 360, height: 740 });
      await page.waitForTimeout(300);
      t.true(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no sideways scrolling');
      const map = await page.locator('#map').boundingBox();
      t.true(map !== null && map.width <= 360 && map.height >= 250, JSON.stringify(map));
      t.deepEqual(await axeViolations(page), []);
    },
  );
}
