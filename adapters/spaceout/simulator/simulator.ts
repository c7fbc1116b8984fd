import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptFacilityList, encryptText } from '../facility-list-cipher.js';
import { checkKeySize, SPACEOUT_SITE_KEY } from '../facility-list-key.js';
import { formatSingaporeTime } from '../singapore-time.js';
import { bandAt, latestReportTime } from './crowd-model.js';
import { generateVenues, type SimulatedVenue } from './venues.js';

/** A well-formed key that is not the site's: the facility list then fails to decrypt. */
export const OTHER_KEY = 'ThisIsNotTheKeyOfTheSiteAtAll!!!';
export const DEFAULT_SEED = 20200801;
export const DEFAULT_VENUE_COUNT = 320;

export type FaultKind =
  'none' | 'http-500' | 'http-400' | 'html' | 'truncated' | 'graphql-errors' | 'no-data' | 'slow' | 'wrong-key' | 'junk-plaintext';

export interface Fault {
  readonly kind: FaultKind;
  /** Only the next `times` requests fail this way; then the simulator is healthy again. */
  readonly times?: number;
  /** For `slow`: how long to wait before answering (default 5 s). */
  readonly delayMs?: number;
  /** For `http-500` and `http-400`: the exact status to answer (default 500 and 400). */
  readonly status?: number;
}

export interface SimulatorOptions {
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  readonly key?: string;
  readonly now?: () => Date;
  readonly venueCount?: number;
  readonly seed?: number;
  /** Reproduce upstream's quirks: duplicates, orphans, missing entries, malformed records (default true). */
  readonly quirks?: boolean;
}

export interface Simulator {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  readonly url: string;
  /** The generated facilities, in facility-list order (quirk records not included). */
  readonly venues: readonly SimulatedVenue[];
  /** Venues the quirks leave without a crowd entry (empty when quirks are off). */
  readonly silentVenueIds: readonly string[];
  /** HTTP requests received so far, retries and faulty answers included. */
  readonly requestCount: number;
  setFault(fault: Fault | FaultKind): void;
  close(): Promise<void>;
}

/** What the quirks add to each reply, so tests can count on them. */
export const QUIRKS = {
  /** Facilities reply: the first entries appear a second time, same id and createdAt. */
  duplicatedEntries: 3,
  /** Facilities reply: entries whose ids are in no facility list (ORPHAN_IDS). */
  orphanEntries: 4,
  /** Facilities reply: empty id, band 7, band "high", createdAt "yesterday". */
  malformedEntries: 4,
  /** Facilities reply: entries whose trend is not a boolean ("rising", null); otherwise valid. */
  nonBooleanTrends: 2,
  /** Every venue whose index % 97 === 5 reports no crowd level. */
  silentVenueModulo: 97,
  /** Facility list: the second venue's ID again, under a stale name, after the original. */
  duplicatedFeatures: 1,
  /** Facility list: latitude 95, no NAME, empty ID. */
  malformedFeatures: 3,
} as const;

export const ORPHAN_IDS: readonly string[] = ['9001', '9002', '9003', '9004'];
export const STALE_DUPLICATE_NAME = 'Old listing (closed)';

const FACILITIES_QUERY = '{facilities{id,band,createdAt,trend}}';

/** A faithful stand-in for SpaceOut's GraphQL endpoint, on loopback. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const key = options.key ?? SPACEOUT_SITE_KEY;
  checkKeySize(key, "the simulator's key");
  const now = options.now ?? (() => new Date());
  const quirks = options.quirks ?? true;
  const seed = options.seed ?? DEFAULT_SEED;
  const venues = generateVenues(seed, options.venueCount ?? DEFAULT_VENUE_COUNT);
  const silentVenueIds = quirks ? venues.filter((_, i) => i % QUIRKS.silentVenueModulo === 5).map((v) => v.id) : [];
  let fault: Fault = { kind: 'none' };
  let requestCount = 0;

  const server = createServer((request, response) => {
    requestCount++;
    void handle(request, response).catch(() => send(response, 500, 'text/plain', 'simulator error'));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    if (path !== '/graphql' || request.method !== 'POST') {
      refuse(path, response);
      return;
    }
    const body = await readBody(request);
    const active = takeFault();
    if (active.kind === 'slow') await delay(active.delayMs ?? 5_000, response);
    answer(active, response, body);
  }

  function refuse(path: string, response: ServerResponse): void {
    if (path !== '/graphql') return send(response, 404, 'text/plain', 'not found');
    response.setHeader('allow', 'POST');
    return send(response, 405, 'text/plain', 'method not allowed');
  }

  function takeFault(): Fault {
    const current = fault;
    if (current.times !== undefined) {
      fault = current.times <= 1 ? { kind: 'none' } : { ...current, times: current.times - 1 };
    }
    return current;
  }

  function answer(active: Fault, response: ServerResponse, body: string): void {
    switch (active.kind) {
      case 'http-500':
        return send(response, active.status ?? 500, 'text/plain', 'Internal Server Error');
      case 'http-400':
        return send(response, active.status ?? 400, 'application/json', '{"errors":[{"message":"Bad Request"}]}');
      case 'html':
        return send(
          response,
          200,
          'text/html; charset=utf-8',
          '<!DOCTYPE html><html><head><title>SpaceOut</title></head><body><h1>Under maintenance</h1></body></html>',
        );
      case 'truncated':
        return send(response, 200, 'application/json', '{"data":{"facilities":[{"id":"301","band":1,"crea');
      case 'graphql-errors':
        return send(
          response,
          200,
          'application/json',
          '{"errors":[{"message":"Cannot query field \\"facilities\\" on type \\"Query\\".","locations":[{"line":1,"column":3}]}]}',
        );
      case 'no-data':
        return send(response, 200, 'application/json', '{"data":null}');
      case 'wrong-key':
        return answerQuery(response, body, OTHER_KEY);
      case 'junk-plaintext':
        return answerQuery(response, body, key, 'Welcome to SpaceOut! This is not the facility list.');
      default:
        // 'none', and 'slow' once it has waited.
        return answerQuery(response, body);
    }
  }

  function answerQuery(response: ServerResponse, body: string, cipherKey = key, junkPlaintext?: string): void {
    const query = queryOf(body);
    if (query === FACILITIES_QUERY) {
      return sendJson(response, { data: { facilities: crowdEntries(venues, now(), quirks) } });
    }
    if (query === '{geojsonPoint}' || query === '{geojsonPoly}') {
      const field = query === '{geojsonPoint}' ? 'geojsonPoint' : 'geojsonPoly';
      const collection = featureCollection(venues, field === 'geojsonPoly', quirks);
      // The IV comes from the content, so the same seed gives byte-identical replies.
      const iv = createHash('sha256')
        .update(`${seed}:${field}:${cipherKey}:${junkPlaintext ?? ''}`)
        .digest()
        .subarray(0, 16);
      const payload =
        junkPlaintext === undefined ? encryptFacilityList(collection, cipherKey, iv) : encryptText(junkPlaintext, cipherKey, iv);
      return sendJson(response, { data: { [field]: payload } });
    }
    sendJson(response, { errors: [{ message: `Syntax Error or unknown query: ${query ?? 'no query in the body'}` }], data: null });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/graphql`,
    venues,
    silentVenueIds,
    get requestCount() {
      return requestCount;
    },
    setFault: (next) => {
      fault = typeof next === 'string' ? { kind: next } : next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function crowdEntries(venues: readonly SimulatedVenue[], at: Date, quirks: boolean): unknown[] {
  const entry = (venue: SimulatedVenue) => {
    const reportedAt = latestReportTime(venue, at);
    return { id: venue.id, band: bandAt(venue, reportedAt), createdAt: formatSingaporeTime(reportedAt), trend: false as unknown };
  };
  if (!quirks) return venues.map(entry);
  const entries = venues.filter((_, i) => i % QUIRKS.silentVenueModulo !== 5).map(entry);
  // The site only ever sent false; anything else must read as "unknown".
  if (entries[10] !== undefined) entries[10] = { ...entries[10], trend: 'rising' };
  if (entries[20] !== undefined) entries[20] = { ...entries[20], trend: null };
  const createdAt = formatSingaporeTime(at);
  return [
    ...entries,
    ...entries.slice(0, QUIRKS.duplicatedEntries).map((e) => ({ ...e })),
    ...ORPHAN_IDS.map((id, i) => ({ id, band: i % 4, createdAt, trend: false })),
    { id: '', band: 1, createdAt, trend: false },
    { id: '8001', band: 7, createdAt, trend: false },
    { id: '8002', band: 'high', createdAt, trend: false },
    { id: '8003', band: 2, createdAt: 'yesterday', trend: false },
  ];
}

function featureCollection(venues: readonly SimulatedVenue[], polygons: boolean, quirks: boolean): unknown {
  const features = venues.map((venue) => feature(venue, polygons));
  // The quirk records borrow real venues' details, so they need a few venues to exist.
  const [, second, template] = venues;
  if (quirks && second !== undefined && template !== undefined) {
    features.splice(5, 0, feature({ ...second, name: STALE_DUPLICATE_NAME }, polygons));
    features.push(
      feature({ ...template, id: 'broken-0001', name: 'Broken Coordinates Mart', lat: 95 }, polygons),
      withoutName(feature({ ...template, id: 'broken-0002' }, polygons)),
      feature({ ...template, id: '', name: 'No Id Supermarket' }, polygons),
    );
  }
  return { type: 'FeatureCollection', features };
}

function withoutName(f: ReturnType<typeof feature>): ReturnType<typeof feature> {
  return { ...f, properties: { ...f.properties, NAME: null } };
}

function feature(venue: SimulatedVenue, polygon: boolean): { type: string; geometry: unknown; properties: Record<string, unknown> } {
  const d = 0.0004;
  const { lat, lng } = venue;
  const geometry = polygon
    ? {
        type: 'Polygon',
        coordinates: [
          [
            [lng - d, lat - d],
            [lng + d, lat - d],
            [lng + d, lat + d],
            [lng - d, lat + d],
            [lng - d, lat - d],
          ],
        ],
      }
    : { type: 'Point', coordinates: [lng, lat] };
  return { type: 'Feature', geometry, properties: properties(venue) };
}

function properties(venue: SimulatedVenue): Record<string, unknown> {
  const hours = venue.openingHours;
  return {
    ID: venue.id,
    NAME: venue.name,
    TYPE: venue.type,
    BLK_HOUSE: venue.blkHouse,
    ROAD_NAME: venue.roadName,
    OTHER_NAME: null,
    ADDRESS: venue.address,
    POSTALCODE: venue.postalCode,
    SAT: null,
    SUN: null,
    WEEKDAY: null,
    EXTRA: null,
    CBCLOSED: null,
    GGW_FLAG: venue.type === 'SUPERMARKET' ? 'Y' : null,
    OPR_HRS_MONDAY: hours,
    OPR_HRS_TUESDAY: hours,
    OPR_HRS_WEDNESDAY: hours,
    OPR_HRS_THURSDAY: hours,
    OPR_HRS_FRIDAY: hours,
    OPR_HRS_SATURDAY: hours,
    OPR_HRS_SUNDAY_PH: hours,
  };
}

/**
 * The query with all whitespace removed, so `{ facilities { id, band, createdAt, trend } }` and
 * `{facilities{id,band,createdAt,trend}}` match.
 */
function queryOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { query?: unknown };
    return typeof parsed.query === 'string' ? parsed.query.replace(/\s+/g, '') : null;
  } catch {
    return null;
  }
}

/** Waits, but gives up as soon as the client hangs up, so close() is not held open by a timer. */
function delay(ms: number, response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    response.once('close', done);
    function done() {
      clearTimeout(timer);
      response.off('close', done);
      resolve();
    }
  });
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, value: unknown): void {
  send(response, 200, 'application/json', JSON.stringify(value));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}
