import { instantAt, NOT_ISO_8601, parseIsoInstant } from '../../domain/iso-instant.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { SINGAPORE_OFFSET_MS } from '../../domain/singapore-calendar.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

// "01 August 2020, 12:48 PM": the site writes Singapore wall-clock time with no offset.
const SITE_FORMAT = /^(\d{1,2}) ([A-Za-z]+) (\d{4}) ?,? ?(\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp])\.?[Mm]\.?$/;

/** Parses upstream's `createdAt` to an instant, never consulting the machine's time zone. */
export function parseSingaporeTime(text: unknown): Result<Date> {
  if (typeof text !== 'string') return fail(`createdAt must be text, got ${JSON.stringify(text)}`);
  // Tolerate stray or doubled spaces ("1  August 2020,12:48PM" reads the same).
  const value = text.replace(/\s+/g, ' ').trim();
  return parseSiteFormat(value) ?? parseIso(value, text);
}

function parseSiteFormat(value: string): Result<Date> | null {
  const match = SITE_FORMAT.exec(value);
  if (match === null) return null;
  // Both groups are required by the pattern, so they matched.
  const [, day, monthName = '', year, hour12, minute, second, meridiem = ''] = match;
  const month = monthOf(monthName);
  const hour = Number(hour12);
  if (month < 0 || hour < 1 || hour > 12) return fail(`createdAt ${JSON.stringify(value)} is not a real time`);
  // 12 AM is midnight and 12 PM is noon.
  const hour24 = (hour % 12) + (meridiem.toUpperCase() === 'P' ? 12 : 0);
  const instant = instantAt({
    year: Number(year),
    month: month + 1,
    day: Number(day),
    hour: hour24,
    minute: Number(minute),
    second: Number(second ?? 0),
    millisecond: 0,
  });
  return instant.ok ? instant : fail(`createdAt ${JSON.stringify(value)} ${instant.error}`);
}

/** "August", "august", "Aug" and "Sept" all name the same month; two letters are too few. */
function monthOf(name: string): number {
  const lower = name.toLowerCase();
  return lower.length < 3 ? -1 : MONTHS.findIndex((month) => month.startsWith(lower));
}

/** ISO 8601 with the time of day; without an offset, Singapore time. */
function parseIso(value: string, original: string): Result<Date> {
  const parsed = parseIsoInstant(value);
  if (!parsed.ok && parsed.error === NOT_ISO_8601)
    return fail(`createdAt ${JSON.stringify(original)} is neither "01 August 2020, 12:48 PM" nor ISO 8601`);
  if (!parsed.ok) return fail(`createdAt ${JSON.stringify(value)} ${parsed.error}`);
  // A reading is observed at a moment, not on a day.
  if (parsed.value.dateOnly) return fail(`createdAt ${JSON.stringify(value)} has no time of day`);
  return ok(parsed.value.instant);
}

/** The site's own text form of an instant, as Singapore wall-clock time. */
export function formatSingaporeTime(instant: Date): string {
  const local = new Date(instant.getTime() + SINGAPORE_OFFSET_MS);
  const hour = local.getUTCHours();
  const month = MONTHS[local.getUTCMonth()] ?? '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(local.getUTCDate())} ${month.charAt(0).toUpperCase()}${month.slice(1)} ${local.getUTCFullYear()}, ${pad(hour % 12 === 0 ? 12 : hour % 12)}:${pad(local.getUTCMinutes())} ${hour < 12 ? 'AM' : 'PM'}`;
}
