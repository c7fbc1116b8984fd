// @ts-check
// The map: one marker per venue with a reading, showing its band as a shape and a colour, with
// the venue and band named in its title. Leaflet is loaded as a classic script (global L).
import { bandMark } from './bands.js';

/** @typedef {import('./api-types').Venue} Venue */
/** @typedef {import('./api-types').LatestReading} LatestReading */

const SINGAPORE = L.latLng(1.3521, 103.8198);
const MARKER_SIZE = 22;
/** The list nearby looks within the visible map, never less than this nor more than the API takes. */
const MIN_RADIUS_METRES = 500;
const MAX_RADIUS_METRES = 50_000;

/**
 * @param {HTMLElement} element
 * @param {{ tileUrl: string | null, attribution: string, onSelect: (venueId: string) => void, onMoveEnd: () => void }} options
 */
export function createMapView(element, { tileUrl, attribution, onSelect, onMoveEnd }) {
  // People who ask their system for less motion get a map that jumps instead of gliding.
  const animate = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const map = L.map(element, {
    center: SINGAPORE,
    zoom: 11,
    minZoom: 10,
    maxZoom: 18,
    zoomAnimation: animate,
    fadeAnimation: animate,
    markerZoomAnimation: animate,
  });
  // Without tiles (none configured, offline, blocked) the markers stand on the plain background.
  if (tileUrl !== null) L.tileLayer(tileUrl, { attribution, maxZoom: 19 }).addTo(map);
  const layer = L.layerGroup().addTo(map);
  /** @type {Map<string, L.Marker>} */
  const markers = new Map();
  /** @type {string | null} */
  let selectedId = null;
  let fitted = false;
  let moveTimer = 0;
  map.on('moveend', () => {
    clearTimeout(moveTimer);
    moveTimer = window.setTimeout(onMoveEnd, 250);
  });

  /**
   * @param {Venue} venue
   * @param {LatestReading} reading
   */
  function iconOf(venue, reading) {
    const mark = bandMark(reading.band);
    mark.dataset['venueId'] = venue.id;
    return L.divIcon({
      html: mark,
      className: `venue-marker${venue.id === selectedId ? ' selected' : ''}`,
      iconSize: [MARKER_SIZE, MARKER_SIZE],
    });
  }

  return {
    /**
     * Shows exactly these venues, each with its reading; the first call fits the map to them.
     * @param {Array<{ venue: Venue, reading: LatestReading }>} shown
     */
    show(shown) {
      const keep = new Set(shown.map(({ venue }) => venue.id));
      for (const [id, marker] of markers) {
        if (!keep.has(id)) {
          layer.removeLayer(marker);
          markers.delete(id);
        }
      }
      for (const { venue, reading } of shown) {
        const title = `${venue.name}: ${reading.bandLabel}`;
        const existing = markers.get(venue.id);
        if (existing === undefined) {
          const marker = L.marker([venue.location.lat, venue.location.lng], {
            icon: iconOf(venue, reading),
            title,
            keyboard: false,
            riseOnHover: true,
          });
          marker.on('click', () => onSelect(venue.id));
          markers.set(venue.id, marker);
          layer.addLayer(marker);
        } else if (existing.options.title !== title) {
          // The title names the band, so it changes exactly when the mark must.
          existing.options.title = title;
          existing.setIcon(iconOf(venue, reading));
          // Leaflet reuses a div icon's element and sets the title only on new ones.
          existing.getElement()?.setAttribute('title', title);
        }
      }
      if (!fitted && shown.length > 0) {
        fitted = true;
        map.fitBounds(L.latLngBounds(shown.map(({ venue }) => [venue.location.lat, venue.location.lng])), { padding: [20, 20], animate });
      }
    },

    /** @param {string | null} venueId */
    select(venueId) {
      for (const id of [selectedId, venueId])
        markers
          .get(id ?? '')
          ?.getElement()
          ?.classList.toggle('selected', id === venueId && venueId !== null);
      selectedId = venueId;
    },

    /** @param {import('./api-types').GeoPoint} location @param {number} [zoom] */
    centreOn(location, zoom) {
      map.setView([location.lat, location.lng], Math.max(map.getZoom(), zoom ?? 14), { animate });
    },

    centre() {
      const { lat, lng } = map.getCenter();
      return { lat, lng };
    },

    /** Metres from the centre to a corner of the visible map, within what the nearby list takes. */
    radiusMetres() {
      const metres = map.distance(map.getCenter(), map.getBounds().getNorthEast());
      return Math.min(MAX_RADIUS_METRES, Math.max(MIN_RADIUS_METRES, Math.ceil(metres / 100) * 100));
    },
  };
}
