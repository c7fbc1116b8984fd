import { fail, ok, type Result } from './result.js';

/** A half-open interval [from, to) of instants. */
export interface TimeRange {
  readonly from: Date;
  readonly to: Date;
}

export function timeRangeOf(from: Date, to: Date): Result<TimeRange> {
  if (from.getTime() >= to.getTime()) return fail('from must be earlier than to');
  return ok({ from, to });
}

export function contains(range: Partial<TimeRange>, instant: Date): boolean {
  const t = instant.getTime();
  return (range.from === undefined || t >= range.from.getTime()) && (range.to === undefined || t < range.to.getTime());
}
