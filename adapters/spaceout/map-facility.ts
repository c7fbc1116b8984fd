import { crowdReadingOf, type CrowdReading } from '../../domain/crowd-reading.js';
import { fail, type Result } from '../../domain/result.js';
import { isRecord } from './is-record.js';
import { venueIdOf } from '../../domain/venue-id.js';
import { quoted } from './quoted.js';
import { parseSingaporeTime } from './singapore-time.js';

/** One `facilities` entry (`{id, band, createdAt, trend}`) to a crowd reading. */
export function mapFacility(entry: unknown): Result<CrowdReading> {
  if (!isRecord(entry)) return fail(`crowd entry is not an object: ${quoted(entry)}`);
  const observedAt = parseSingaporeTime(entry['createdAt']);
  if (!observedAt.ok) return fail(`reading of ${idForMessage(entry['id'])}: ${observedAt.error}`);
  return crowdReadingOf({ venueId: entry['id'], band: entry['band'], trend: entry['trend'], observedAt: observedAt.value });
}

/** The id as crowdReadingOf would name it, or the raw value quoted when it is no valid id. */
function idForMessage(id: unknown): string {
  const valid = venueIdOf(id);
  return valid.ok ? valid.value : quoted(id ?? null);
}
