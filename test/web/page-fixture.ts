import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import type { CrowdReading } from '../../domain/crowd-reading.js';
import { aReading, aVenue } from '../support/builders.js';
import { startHarness, type Harness } from '../support/http-harness.js';

/** Singapore is UTC+08:00 all year. */
const SINGAPORE_OFFSET_MS = 8 * 3_600_000;

/** Midnight in Singapore that began the Singapore day of `now`, as an instant. */
export function singaporeMidnight(now: Date): Date {
  const local = now.getTime() + SINGAPORE_OFFSET_MS;
  return new Date(local - (local % 86_400_000) - SINGAPORE_OFFSET_MS);
}

/** ISO weekday (1 Monday … 7 Sunday) of `now` in Singapore. */
export function singaporeWeekday(now: Date): number {
  return ((new Date(now.getTime() + SINGAPORE_OFFSET_MS).getUTCDay() + 6) % 7) + 1;
}

export interface SeededVenue {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly address: string;
  readonly lat: number;
  readonly lng: number;
  readonly band: number | null;
  readonly active?: boolean;
}

/** Bishan, where the nearby test stands: three venues within 250 m. */
export const BISHAN = { lat: 1.3508, lng: 103.8485 };

export const VENUES: readonly SeededVenue[] = [
  { id: 'fairprice-bishan', name: 'FairPrice Bishan Junction', type: 'SUPERMARKET', address: '9 Bishan Place', ...BISHAN, band: 0 },
  {
    id: 'bishan-market',
    name: 'Bishan Blk 279 Market',
    type: 'MARKET',
    address: '279 Bishan Street 24',
    lat: 1.3523,
    lng: 103.8485,
    band: 0,
  },
  {
    id: 'cold-storage-bishan',
    name: 'Cold Storage Bishan',
    type: 'SUPERMARKET',
    address: '51 Bishan Street 13',
    lat: 1.3508,
    lng: 103.85,
    band: 1,
  },
  { id: 'tampines-mall', name: 'Tampines Mall', type: 'MALL', address: '4 Tampines Central 5', lat: 1.3526, lng: 103.9447, band: 2 },
  { id: 'jurong-point', name: 'Jurong Point', type: 'MALL', address: '1 Jurong West Central 2', lat: 1.3397, lng: 103.7067, band: 3 },
  {
    id: 'old-market',
    name: 'Old Toa Payoh Market',
    type: 'MARKET',
    address: '1 Toa Payoh Lorong 4',
    lat: 1.3343,
    lng: 103.8563,
    band: 0,
    active: false,
  },
  { id: 'pasir-ris-park', name: 'Pasir Ris Park', type: 'PARK', address: 'Pasir Ris Green', lat: 1.3813, lng: 103.9532, band: null },
];

/** Venues the map must show: active, with a reading. */
export const SHOWN = VENUES.filter((venue) => venue.band !== null && venue.active !== false);

/**
 * The readings of FairPrice Bishan today: four spread between Singapore midnight and twelve
 * minutes ago, and one yesterday that today's chart must leave out.
 */
export function fairPriceToday(now: Date): CrowdReading[] {
  const midnight = singaporeMidnight(now).getTime();
  const latest = Math.max(midnight + 4, now.getTime() - 12 * 60_000);
  const step = (latest - midnight) / 4;
  return [
    aReading('fairprice-bishan', new Date(midnight - 3 * 3_600_000).toISOString(), 3),
    ...[1, 2, 3].map((k) =>
      aReading('fairprice-bishan', new Date(Math.round(midnight + k * step - step / 2)).toISOString(), [1, 2, 1][k - 1]!),
    ),
    aReading('fairprice-bishan', new Date(latest).toISOString(), 0),
  ];
}

/** Those of them since Singapore midnight: what today's chart shows. */
export function fairPriceSinceMidnight(now: Date): CrowdReading[] {
  return fairPriceToday(now).filter((reading) => reading.observedAt >= singaporeMidnight(now));
}

/** The HTTP harness on the real clock with the venues above, the readings of five minutes ago, and an orphan. */
export async function seededService(page: { tileUrl: string | null; refreshSeconds?: number }): Promise<Harness> {
  const api = await startHarness({
    env: { CACHE_MAX_AGE_SECONDS: '0' },
    clock: { now: () => new Date() },
    page: { tileUrl: page.tileUrl, tileAttribution: '&copy; test tiles', refreshSeconds: page.refreshSeconds ?? 30 },
  });
  const now = new Date();
  await api.venues.save(VENUES.map(({ band: _band, ...venue }) => aVenue({ postalCode: null, ...venue })));
  const fiveMinutesAgo = new Date(now.getTime() - 5 * 60_000).toISOString();
  await api.readings.record([
    ...VENUES.filter((venue) => venue.band !== null && venue.id !== 'fairprice-bishan').map((venue) =>
      aReading(venue.id, fiveMinutesAgo, venue.band!),
    ),
    ...fairPriceToday(now),
    aReading('ghost', fiveMinutesAgo, 0),
  ]);
  return api;
}

/** A 1×1 PNG: what a tile server sends, as far as the page can tell. */
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

export interface TileServer {
  readonly origin: string;
  readonly template: string;
  readonly requests: string[];
  close(): Promise<void>;
}

/** A tile server on loopback (another origin than the service), counting what it is asked. */
export async function startTileServer(): Promise<TileServer> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'max-age=60' });
    response.end(TILE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, template: `${origin}/{z}/{x}/{y}.png`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Console errors and uncaught exceptions of a page, as they happen. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

export async function waitForCount(page: Page, selector: string, count: number): Promise<void> {
  await page.waitForFunction(([s, n]) => document.querySelectorAll(s).length === n, [selector, count] as const, { timeout: 10_000 });
}
