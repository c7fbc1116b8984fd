/**
 * Singapore's calendar: UTC+08:00 all year, no daylight saving. Users ask about Singapore
 * days, weekdays and hours, so rollups and profiles follow this calendar, not UTC's.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
export const SINGAPORE_OFFSET_MS = 8 * HOUR_MS;

/** A Singapore calendar date, `2020-08-01`. */
export type SingaporeDay = string;

/** Singapore days since 1970-01-01. */
export function singaporeDayNumber(instant: number): number {
  return Math.floor((instant + SINGAPORE_OFFSET_MS) / DAY_MS);
}

export function dayOfNumber(day: number): SingaporeDay {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function numberOfDay(day: SingaporeDay): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

/** The Singapore date an instant falls on. */
export function singaporeDayOf(instant: number): SingaporeDay {
  return dayOfNumber(singaporeDayNumber(instant));
}

/** 0..23: the Singapore hour of the day an instant falls in. */
export function singaporeHourOf(instant: number): number {
  return Math.floor(((instant + SINGAPORE_OFFSET_MS) % DAY_MS) / HOUR_MS);
}

/** The instant a Singapore day begins. */
export function startOfSingaporeDay(day: SingaporeDay): Date {
  return new Date(numberOfDay(day) * DAY_MS - SINGAPORE_OFFSET_MS);
}

export function addDays(day: SingaporeDay, days: number): SingaporeDay {
  return dayOfNumber(numberOfDay(day) + days);
}

/** ISO 8601 weekday of a date: 1 is Monday, 7 is Sunday. */
export function weekdayOf(day: SingaporeDay): number {
  // 1970-01-01 was a Thursday (4).
  return ((numberOfDay(day) + 3) % 7) + 1;
}

export function isSingaporeMidnight(instant: number): boolean {
  return (instant + SINGAPORE_OFFSET_MS) % DAY_MS === 0;
}
