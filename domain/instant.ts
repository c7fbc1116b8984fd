import { fail, ok, type Result } from './result.js';

/** A real point in time, kept as a Date that is never Invalid Date. */
export function instantOf(value: Date): Result<Date> {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    return fail('instant is not a real time');
  }
  return ok(new Date(value.getTime()));
}
