// @ts-check
// Singapore keeps UTC+08:00 all year (no daylight saving), so plain arithmetic gives its wall
// clock whatever zone the browser is in; the data and its "today" are Singapore's.
const SINGAPORE_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * The Singapore date, weekday and time of day of an instant.
 * @param {Date} instant
 */
export function singaporeClock(instant) {
  const shifted = new Date(instant.getTime() + SINGAPORE_OFFSET_MS);
  return {
    /** YYYY-MM-DD, as the API reads a date without an offset. */
    date: shifted.toISOString().slice(0, 10),
    /** ISO weekday: 1 is Monday, 7 Sunday. */
    weekday: ((shifted.getUTCDay() + 6) % 7) + 1,
    hour: shifted.getUTCHours(),
    /** Hours since Singapore midnight, with fractions. */
    hourOfDay: shifted.getUTCHours() + shifted.getUTCMinutes() / 60 + shifted.getUTCSeconds() / 3600,
    /** HH:MM */
    clock: shifted.toISOString().slice(11, 16),
  };
}

/** @param {number} hour 0–23 */
export const hourText = (hour) => `${String(hour).padStart(2, '0')}:00`;

/**
 * "just now", "4 min ago", "2 h 5 min ago", "3 days ago".
 * @param {Date} instant
 * @param {Date} now
 */
export function agoText(instant, now) {
  const minutes = Math.max(0, Math.floor((now.getTime() - instant.getTime()) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h ago` : `${hours} h ${minutes % 60} min ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** @param {number} metres */
export function distanceText(metres) {
  return metres < 1000 ? `${Math.round(metres / 10) * 10} m` : `${(metres / 1000).toFixed(1)} km`;
}
