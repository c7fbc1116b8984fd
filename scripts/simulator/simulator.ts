import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptFacilityList } from '../../adapters/spaceout/facility-list-cipher.js';
import { formatSingaporeTime } from '../../adapters/spaceout/singapore-time.js';
import { bandAt, latestReportTime } from './crowd-model.js';
import { generateVenues, type SimulatedVenue } from './venues.js';

export const SITE_KEY = 'pyRYtDWQLu83RaPCNZudQdW4WbtDdF6q';

export type FaultKind = 'none' | 'http-500' | 'http-400' | 'html' | 'truncated' | 'graphql-errors' | 'slow' | 'wrong-key' | 'junk-plaintext';

export interface Fault {
  readonly kind: FaultKind;
  /** Only the next `times` requests fail this way; then the simulator is healthy again. */
  readonly times?: number;
  /** For `slow`: how long to wait before answering. */
  readonly delayMs?: number;
}

export interface SimulatorOptions {
  readonly host?: string;
  readonly port?: number;
  readonly key?: string;
  readonly now?: () => Date;
  readonly venueCount?: number;
  readonly seed?: number;
  /** Reproduce upstream's quirks: duplicates, orphans, missing entries, malformed records. */
  readonly quirks?: boolean;
}

export interface Simulator {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  readonly url: string;
  readonly venues: readonly SimulatedVenue[];
  /** Requests answered so far (retries included). */
  readonly requestCount: number;
  setFault(fault: Fault | FaultKind): void;
  close(): Promise<void>;
}

/** What the quirks add, so tests can count on them. */
export const QUIRKS = {
  duplicatedEntries: 3,
  orphanEntries: 4,
  malformedEntries: 4,
  /** Every venue whose index % 97 === 5 reports no crowd level. */
  silentVenueModulo: 97,
  duplicatedFeatures: 1,
  malformedFeatures: 1,
} as const;

export const ORPHAN_IDS = ['9001', '9002', '9003', '9004'];

/** A faithful stand-in for SpaceOut's GraphQL endpoint, on loopback. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const key = options.key ?? SITE_KEY;
  const now = options.now ?? (() => new Date());
  const quirks = options.quirks ?? true;
  const venues = generateVenues(options.seed ?? 20200801, options.venueCount ?? 320);
  let fault: Fault = { kind: 'none' };
  let requestCount = 0;

  const server = createServer((request, response) => {
    requestCount++;
    void handle(request, response).catch(() => send(response, 500, 'text/plain', 'simulator error'));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://simulator').pathname;
    if (path !== '/graphql') return send(response, 404, 'text/plain', 'not found');
    if (request.method !== 'POST') return send(response, 405, 'text/plain', 'method not allowed');
    const body = await readBody(request);
    const active = takeFault();
    if (active.kind !== 'none') return answerWithFault(active, response, body);
    answerQuery(response, body, key);
  }

  function takeFault(): Fault {
    const current = fault;
    if (current.times !== undefined) {
      fault = current.times <= 1 ? { kind: 'none' } : { ...current, times: current.times - 1 };
    }
    return current;
  }

  async function answerWithFault(active: Fault, response: ServerResponse, body: string): Promise<void> {
    switch (active.kind) {
      case 'http-500':
        return send(response, 503, 'text/plain', 'Service Unavailable');
      case 'http-400':
        return send(response, 400, 'application/json', '{"errors":[{"message":"Bad Request"}]}');
      case 'html':
        return send(response, 200, 'text/html', '<!DOCTYPE html><html><body><h1>Under maintenance</h1></body></html>');
      case 'truncated':
        return send(response, 200, 'application/json', '{"data":{"facilities":[{"id":"301","band":1,"crea');
      case 'graphql-errors':
        return send(response, 200, 'application/json', '{"errors":[{"message":"Cannot query field on type Query"}]}');
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, active.delayMs ?? 5_000));
        if (!response.destroyed) answerQuery(response, body, key);
        return;
      case 'wrong-key':
        return answerQuery(response, body, 'ThisIsNotTheKeyOfTheSiteAtAll!!!');
      case 'junk-plaintext':
        return answerQuery(response, body, key, 'not json at all');
      default:
        return answerQuery(response, body, key);
    }
  }

  function answerQuery(response: ServerResponse, body: string, cipherKey: string, junk?: string): void {
    const query = queryOf(body);
    const at = now();
    if (query === '{facilities{id,band,createdAt,trend}}') {
      return sendJson(response, { data: { facilities: crowdEntries(venues, at, quirks) } });
    }
    if (query === '{geojsonPoint}' || query === '{geojsonPoly}') {
      const collection = junk ?? featureCollection(venues, query === '{geojsonPoly}', quirks);
      const field = query === '{geojsonPoint}' ? 'geojsonPoint' : 'geojsonPoly';
      return sendJson(response, { data: { [field]: encryptFacilityList(collection, cipherKey) } });
    }
    sendJson(response, { errors: [{ message: `Syntax Error or unknown query: ${query ?? 'none'}` }] });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/graphql`,
    venues,
    get requestCount() {
      return requestCount;
    },
    setFault: (next) => {
      fault = typeof next === 'string' ? { kind: next } : next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function crowdEntries(venues: readonly SimulatedVenue[], at: Date, quirks: boolean): unknown[] {
  const entry = (venue: SimulatedVenue) => {
    const reportedAt = latestReportTime(venue, at);
    return { id: venue.id, band: bandAt(venue, reportedAt), createdAt: formatSingaporeTime(reportedAt), trend: false };
  };
  const reporting = quirks ? venues.filter((_, i) => i % QUIRKS.silentVenueModulo !== 5) : venues;
  const entries: Array<Record<string, unknown>> = reporting.map(entry);
  if (!quirks) return entries;
  const createdAt = formatSingaporeTime(at);
  entries.push(...entries.slice(0, QUIRKS.duplicatedEntries).map((e) => ({ ...e })));
  entries.push(...ORPHAN_IDS.map((id, i) => ({ id, band: i % 4, createdAt, trend: false })));
  entries.push(
    { id: '', band: 1, createdAt, trend: false },
    { id: '8001', band: 7, createdAt, trend: false },
    { id: '8002', band: 'high', createdAt, trend: false },
    { id: '8003', band: 2, createdAt: 'yesterday', trend: false },
  );
  // The site only ever sent false; something else now and then must read as "unknown".
  if (entries[10] !== undefined) entries[10] = { ...entries[10], trend: 'rising' };
  return entries;
}

function featureCollection(venues: readonly SimulatedVenue[], polygons: boolean, quirks: boolean): unknown {
  const features = venues.map((venue) => feature(venue, polygons));
  if (quirks) {
    features.push(feature(venues[1]!, polygons));
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [103.8, 95] }, properties: { ID: 'broken-0001', NAME: 'Broken Coordinates Mart' } });
  }
  return { type: 'FeatureCollection', features };
}

function feature(venue: SimulatedVenue, polygon: boolean): Record<string, unknown> {
  const d = 0.0004;
  const geometry = polygon
    ? { type: 'Polygon', coordinates: [[[venue.lng - d, venue.lat - d], [venue.lng + d, venue.lat - d], [venue.lng + d, venue.lat + d], [venue.lng - d, venue.lat + d], [venue.lng - d, venue.lat - d]]] }
    : { type: 'Point', coordinates: [venue.lng, venue.lat] };
  const hours = venue.type === 'PARK' ? '24 hours' : '10:00 AM - 10:00 PM';
  return {
    type: 'Feature',
    geometry,
    properties: {
      ID: venue.id, NAME: venue.name, TYPE: venue.type, BLK_HOUSE: venue.blkHouse, ROAD_NAME: venue.roadName,
      OTHER_NAME: null, ADDRESS: venue.address, POSTALCODE: venue.postalCode, SAT: null, SUN: null, WEEKDAY: null,
      EXTRA: null, CBCLOSED: null, GGW_FLAG: null, OPR_HRS_MONDAY: hours, OPR_HRS_TUESDAY: hours, OPR_HRS_WEDNESDAY: hours,
      OPR_HRS_THURSDAY: hours, OPR_HRS_FRIDAY: hours, OPR_HRS_SATURDAY: hours, OPR_HRS_SUNDAY_PH: hours,
    },
  };
}

function queryOf(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { query?: unknown };
    return typeof parsed.query === 'string' ? parsed.query.replace(/\s+/g, '') : null;
  } catch {
    return null;
  }
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
