// @ts-check
// The selected venue: what it is, its band now, today's readings, and (when the API has the
// profile route) its usual band for each hour of today's weekday.
import { getAllPages, getJson } from './api.js';
import { bandLabel, bandMark, nearestBand } from './bands.js';
import { dayChart } from './charts.js';
import { agoText, hourText, singaporeClock } from './time.js';

/** @typedef {import('./api-types').VenueWithLatest} VenueWithLatest */
/** @typedef {import('./api-types').Reading} Reading */
/** @typedef {import('./api-types').Profile} Profile */
/** @typedef {import('./api-types').ProfileDay} ProfileDay */

const PROFILE_WEEKS = 4;

/**
 * @param {HTMLElement} section
 * @param {{ profileAvailable: boolean }} options
 */
export function createVenueDetails(section, { profileAvailable }) {
  const element = (/** @type {string} */ id) => /** @type {HTMLElement} */ (section.querySelector(`#${id}`));
  /** @type {string | null} */
  let shownId = null;

  /** Fills the section for the venue; resolves false when another venue was asked for meanwhile. */
  async function render(/** @type {string} */ venueId) {
    const now = new Date();
    const today = singaporeClock(now);
    const id = encodeURIComponent(venueId);
    const [venue, readings, profile] = await Promise.all([
      getJson(`/v1/venues/${id}`).then((/** @type {{ body: VenueWithLatest }} */ reply) => reply.body),
      getAllPages(`/v1/venues/${id}/readings?from=${today.date}&limit=500`).then(
        (/** @type {{ items: Reading[] }} */ reply) => reply.items,
      ),
      profileAvailable
        ? getJson(`/v1/venues/${id}/profile?weeks=${PROFILE_WEEKS}`).then(
            (/** @type {{ body: Profile }} */ reply) => reply.body,
            () => null,
          )
        : Promise.resolve(null),
    ]);
    if (shownId !== venueId) return false;
    element('details-heading').textContent = venue.name;
    // Addresses usually end with the postal code already.
    const postal = venue.postalCode === null || venue.address.includes(venue.postalCode) ? '' : `Singapore ${venue.postalCode}`;
    element('details-place').textContent = [typeLabel(venue.type), venue.address, postal].filter(Boolean).join(' · ');
    const latest = venue.latestReading;
    const nowLine = element('details-now');
    nowLine.replaceChildren();
    if (latest === null) nowLine.textContent = 'No reading yet.';
    else
      nowLine.append(
        bandMark(latest.band),
        `Now ${latest.bandLabel}, observed ${agoText(new Date(latest.observedAt), now)} (${singaporeClock(new Date(latest.observedAt)).clock})`,
      );
    element('today-chart').replaceChildren(todayChart(readings, now));
    const day = profile?.days.find((candidate) => candidate.weekday === today.weekday);
    element('usual').hidden = day === undefined;
    if (day !== undefined) showUsualDay(day, today.hour);
    return true;
  }

  /** @param {ProfileDay} day @param {number} currentHour */
  function showUsualDay(day, currentHour) {
    element('usual-heading').textContent = `Usually on ${day.weekdayName}s (last ${PROFILE_WEEKS} weeks)`;
    element('usual-quietest').textContent = quietestText(day);
    element('usual-chart').replaceChildren(usualChart(day, currentHour));
  }

  return {
    /** Shows a venue; moves the focus to it when asked (a keyboard or screen-reader user follows). */
    async show(/** @type {string} */ venueId, /** @type {boolean} */ focus) {
      shownId = venueId;
      section.hidden = false;
      if ((await render(venueId)) && focus) section.focus();
    },
    hide() {
      shownId = null;
      section.hidden = true;
    },
    /** Re-reads the shown venue, if any; unchanged answers cost a 304. */
    async refresh() {
      if (shownId !== null) await render(shownId);
    },
  };
}

/** @param {Reading[]} newestFirst @param {Date} now */
function todayChart(newestFirst, now) {
  if (newestFirst.length === 0) {
    const none = document.createElement('p');
    none.className = 'hint';
    none.textContent = 'No readings yet today.';
    return none;
  }
  const readings = [...newestFirst].reverse();
  const nowHour = singaporeClock(now).hourOfDay;
  const spans = readings.map((reading, index) => {
    const next = readings[index + 1];
    const toHour = next === undefined ? nowHour : singaporeClock(new Date(next.observedAt)).hourOfDay;
    return {
      fromHour: singaporeClock(new Date(reading.observedAt)).hourOfDay,
      toHour,
      band: reading.band,
      current: next === undefined,
      className: 'reading',
    };
  });
  const first = singaporeClock(new Date(readings[0]?.observedAt ?? now)).clock;
  const last = readings.at(-1);
  return dayChart({
    title: `Today's ${readings.length} readings from ${first}; the latest ${last === undefined ? '' : last.bandLabel}`,
    spans,
    table: {
      caption: "Today's readings (Singapore time)",
      headers: ['Time', 'Crowd'],
      rows: readings.map((r) => [singaporeClock(new Date(r.observedAt)).clock, r.bandLabel]),
    },
  });
}

/**
 * The hour a day is usually quietest, with how many readings say so. Right after a first start
 * one hour has readings, and naming it both quietest and busiest would tell the reader nothing.
 * @param {ProfileDay} day
 */
function quietestText(day) {
  const readings = day.hours.reduce((sum, hour) => sum + hour.samples, 0);
  const counted = `${readings.toLocaleString('en')} ${readings === 1 ? 'reading' : 'readings'}`;
  if (day.quietestHour === null) return `No readings on ${day.weekdayName}s yet.`;
  if (day.quietestHour === day.busiestHour) return `Only ${counted} on ${day.weekdayName}s so far, too few to tell its quiet hours apart.`;
  return `Usually quietest at ${hourText(day.quietestHour)} (from ${counted})`;
}

/** @param {ProfileDay} day @param {number} currentHour */
function usualChart(day, currentHour) {
  const spans = day.hours.map((hour) => ({
    fromHour: hour.hour,
    toHour: hour.hour + 1,
    band: hour.averageBand,
    current: hour.hour === currentHour,
    className: 'usual',
  }));
  const described = (/** @type {number | null} */ mean) =>
    mean === null ? 'no readings' : `${bandLabel(nearestBand(mean))} (mean band ${mean.toFixed(1)})`;
  return dayChart({
    title: `Usual crowd on ${day.weekdayName}s by hour${day.quietestHour === null ? '' : `; quietest at ${hourText(day.quietestHour)}`}${day.busiestHour === null ? '' : `, busiest at ${hourText(day.busiestHour)}`}`,
    spans,
    table: {
      caption: `Usual crowd on ${day.weekdayName}s (Singapore time)`,
      headers: ['Hour', 'Usually'],
      rows: day.hours.map((hour) => [hourText(hour.hour), described(hour.averageBand)]),
    },
  });
}

/** "HAWKER CENTRE" → "Hawker centre". @param {string} type */
export function typeLabel(type) {
  const words = type.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
