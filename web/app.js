// @ts-check
// The page: the map of every active venue with a reading, "quiet near here", search and type
// filter, and the selected venue's details. It reads only the public API, and asks again after
// each refresh period with the ETags it holds, so an unchanged answer costs a 304.
import { getAllPages, getJson } from './api.js';
import { showBandCounts } from './bands.js';
import { createMapView } from './map-view.js';
import { agoText, distanceText, singaporeClock } from './time.js';
import { createVenueDetails, typeLabel } from './venue-details.js';
import { markSelected, renderVenueList } from './venue-list.js';

/** @typedef {import('./api-types').Venue} Venue */
/** @typedef {import('./api-types').LatestReading} LatestReading */
/** @typedef {import('./api-types').NearbyReading} NearbyReading */
/** @typedef {import('./api-types').List<NearbyReading>} NearbyList */

const PROFILE_PATH = '/v1/venues/{id}/profile';
const NEARBY_COUNT = 10;
const SEARCH_RESULTS = 8;
/** Before the first poll has stored anything, look again soon rather than after a whole period. */
const EMPTY_RETRY_SECONDS = 3;

const byId = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
const meta = (/** @type {string} */ name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

const settings = {
  tileUrl: meta('map-tile-url') === 'none' ? null : meta('map-tile-url'),
  attribution: meta('map-tile-attribution'),
  refreshSeconds: Number(meta('refresh-seconds')) || 30,
};

const state = {
  /** @type {Map<string, Venue>} */
  venues: new Map(),
  /** @type {Map<string, LatestReading>} */
  latest: new Map(),
  type: '',
  query: '',
  /** @type {string | null} */
  selectedId: null,
  /** True while the map is centred where the browser said the person is. */
  nearYou: false,
  /** @type {Date | null} */
  updatedAt: null,
};

const status = byId('status');
const typeSelect = /** @type {HTMLSelectElement} */ (byId('type'));
const search = /** @type {HTMLInputElement} */ (byId('search'));
const nearbyList = byId('nearby-list');
const searchResults = byId('search-results');
let movingToPerson = false;

const mapView = createMapView(byId('map'), { ...settings, onSelect: (id) => void select(id, false), onMoveEnd });
const details = createVenueDetails(byId('details'), { profileAvailable: await hasProfileRoute() });

typeSelect.addEventListener('change', () => {
  state.type = typeSelect.value;
  showVenues();
  void refreshNearby();
});
search.addEventListener('input', () => {
  state.query = search.value.trim().toLowerCase();
  showVenues();
});
setUpLocate(byId('locate'));
byId('details-close').addEventListener('click', closeDetails);
await refresh();

/** Everything the page shows, read again; then the next round is scheduled. */
async function refresh() {
  try {
    const [venues, latest] = await Promise.all([
      getAllPages('/v1/venues?active=true&limit=500'),
      getAllPages('/v1/crowd-levels?limit=500'),
    ]);
    if (venues.changed) state.venues = new Map(/** @type {Venue[]} */ (venues.items).map((venue) => [venue.id, venue]));
    if (latest.changed) state.latest = new Map(/** @type {LatestReading[]} */ (latest.items).map((reading) => [reading.venueId, reading]));
    if (venues.changed) showTypes();
    showVenues();
    await Promise.all([refreshNearby(), details.refresh()]);
    state.updatedAt = new Date();
    showStatus();
  } catch (error) {
    status.textContent = `Could not reach the service (${error instanceof Error ? error.message : String(error)}); ${state.updatedAt === null ? 'trying again' : `showing data as of ${singaporeClock(state.updatedAt).clock}`}.`;
  }
  const seconds = state.latest.size === 0 ? EMPTY_RETRY_SECONDS : settings.refreshSeconds;
  window.setTimeout(() => void refresh(), seconds * 1000);
}

/** Venues with a reading, of the chosen type; the search narrows the map and lists its matches. */
function showVenues() {
  const shown = [];
  const matches = [];
  for (const venue of state.venues.values()) {
    const reading = state.latest.get(venue.id);
    if (state.type !== '' && venue.type !== state.type) continue;
    const matching =
      state.query === '' || venue.name.toLowerCase().includes(state.query) || venue.address.toLowerCase().includes(state.query);
    if (!matching) continue;
    if (reading !== undefined) shown.push({ venue, reading });
    if (state.query !== '') matches.push({ venue, reading });
  }
  mapView.show(shown);
  showBandCounts(shown.map(({ reading }) => reading.band));
  showSearchResults(matches);
}

/** @param {Array<{ venue: Venue, reading: LatestReading | undefined }>} matches */
function showSearchResults(matches) {
  const summary = byId('search-summary');
  searchResults.hidden = state.query === '';
  if (state.query === '') {
    summary.textContent = '';
    return;
  }
  matches.sort((a, b) => a.venue.name.localeCompare(b.venue.name));
  summary.textContent =
    matches.length === 0
      ? 'No venue matches.'
      : `${matches.length} ${matches.length === 1 ? 'venue matches' : 'venues match'}${matches.length > SEARCH_RESULTS ? `; the first ${SEARCH_RESULTS}:` : ':'}`;
  const now = new Date();
  const items = matches.slice(0, SEARCH_RESULTS).map(({ venue, reading }) => ({
    venueId: venue.id,
    name: venue.name,
    band: reading?.band ?? null,
    meta:
      reading === undefined
        ? `${venue.address} · no reading yet`
        : `${venue.address} · ${reading.bandLabel}, ${agoText(new Date(reading.observedAt), now)}`,
  }));
  renderVenueList(searchResults, items, (id) => void select(id, true), state.selectedId);
}

function showTypes() {
  const types = [...new Set([...state.venues.values()].map((venue) => venue.type))].sort();
  const chosen = typeSelect.value;
  typeSelect.replaceChildren(new Option('All types', ''), ...types.map((type) => new Option(typeLabel(type), type)));
  typeSelect.value = types.includes(chosen) ? chosen : '';
}

/** The quietest venues near the map's centre (or the person), from the API's nearby list. */
async function refreshNearby() {
  const centre = mapView.centre();
  const radius = mapView.radiusMetres();
  const type = state.type === '' ? '' : `&type=${encodeURIComponent(state.type)}`;
  // Rounded to about 10 m, so a map that barely moved asks the same URL (and gets a 304).
  const url = `/v1/crowd-levels?near=${centre.lat.toFixed(4)},${centre.lng.toFixed(4)}&radius=${radius}&limit=${NEARBY_COUNT}${type}`;
  /** @type {{ body: NearbyList }} */
  const { body } = await getJson(url);
  const where = state.nearYou ? 'you' : 'the map centre';
  byId('nearby-heading').textContent = `Quiet near ${where}`;
  byId('nearby-summary').textContent =
    body.items.length === 0
      ? `No venue with a reading within ${distanceText(radius)} of ${where}. Zoom out or move the map.`
      : `Within ${distanceText(radius)}: quietest first, then nearest.`;
  const now = new Date();
  const items = body.items.map((reading) => ({
    venueId: reading.venueId,
    name: reading.venueName ?? reading.venueId,
    band: reading.band,
    meta: `${reading.bandLabel} · ${distanceText(reading.distanceMetres)} · observed ${agoText(new Date(reading.observedAt), now)}`,
  }));
  renderVenueList(nearbyList, items, (id) => void select(id, true), state.selectedId);
}

function onMoveEnd() {
  if (movingToPerson) movingToPerson = false;
  else state.nearYou = false;
  refreshNearby().catch((/** @type {unknown} */ error) => {
    byId('nearby-summary').textContent =
      `Could not load the venues near here (${error instanceof Error ? error.message : String(error)}); the next refresh tries again.`;
  });
}

/**
 * @param {string} venueId
 * @param {boolean} fromList true when chosen from a list: the map comes to the venue and the focus to its details
 */
async function select(venueId, fromList) {
  state.selectedId = venueId;
  mapView.select(venueId);
  markSelected(nearbyList, venueId);
  markSelected(searchResults, venueId);
  const venue = state.venues.get(venueId);
  if (fromList && venue !== undefined) mapView.centreOn(venue.location);
  await details.show(venueId, fromList);
}

function closeDetails() {
  const closed = state.selectedId;
  state.selectedId = null;
  mapView.select(null);
  markSelected(nearbyList, null);
  markSelected(searchResults, null);
  details.hide();
  // Back to where the venue was chosen, when it is still listed; else to the search.
  const origin = [...document.querySelectorAll('.venue-list button')].find(
    (button) => button instanceof HTMLElement && button.dataset['venueId'] === closed,
  );
  (origin instanceof HTMLElement ? origin : search).focus();
}

/** @param {HTMLElement} button */
function setUpLocate(button) {
  if (!('geolocation' in navigator)) {
    button.hidden = true;
    return;
  }
  // Only when asked: the browser then asks the person for permission.
  button.addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition(
      (position) => {
        state.nearYou = true;
        movingToPerson = true;
        // The move's end refreshes the list, once the map shows its new extent.
        mapView.centreOn({ lat: position.coords.latitude, lng: position.coords.longitude });
      },
      (error) => {
        byId('nearby-summary').textContent = `Your position is not available (${error.message}); showing the map centre.`;
      },
      { timeout: 10_000, maximumAge: 60_000 },
    );
  });
}

function showStatus() {
  const reporting = [...state.latest.values()].filter((reading) => state.venues.has(reading.venueId));
  const newest = Math.max(0, ...reporting.map((reading) => Date.parse(reading.observedAt)));
  const updated = state.updatedAt === null ? '' : `Updated ${singaporeClock(state.updatedAt).clock} Singapore time`;
  status.textContent =
    state.latest.size === 0
      ? 'No readings yet: the first poll is still running. This page fills in as soon as it is done.'
      : `${updated} · ${reporting.length} venues with a reading · the newest ${agoText(new Date(newest), new Date())}`;
}

/** Whether this service has the route of a venue's usual week; without it that part stays hidden. */
async function hasProfileRoute() {
  try {
    /** @type {{ body: { paths: object } }} */
    const { body } = await getJson('/openapi.json');
    return Object.hasOwn(body.paths, PROFILE_PATH);
  } catch {
    return false;
  }
}
