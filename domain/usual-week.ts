import type { SingaporeDay } from './singapore-calendar.js';
import { weekdayOf } from './singapore-calendar.js';

/** A venue's readings on one Singapore day: per Singapore hour (0..23), sum and count of bands. */
export interface DayHourTotals {
  readonly day: SingaporeDay;
  readonly sums: readonly number[];
  readonly counts: readonly number[];
}

export interface UsualHour {
  /** 0..23, Singapore time. */
  readonly hour: number;
  /** Mean band of the readings observed in this hour on this weekday; null without any. */
  readonly averageBand: number | null;
  readonly samples: number;
}

export interface UsualWeekday {
  /** ISO 8601: 1 is Monday, 7 is Sunday. */
  readonly weekday: number;
  readonly hours: readonly UsualHour[];
  /**
   * The hour with the lowest mean band; null without readings. On a tie, the hour with more
   * readings (an hour seen once at band 0 says less than one seen ten times), then the earliest.
   */
  readonly quietestHour: number | null;
  /** The hour with the highest mean band, ties broken as for quietestHour. */
  readonly busiestHour: number | null;
}

/** Monday first: how crowded a venue usually is at each hour of each weekday. */
export type UsualWeek = readonly UsualWeekday[];

/**
 * Folds days of hourly totals into one week: the mean of a weekday's hour is the mean of every
 * distinct reading observed in that hour on any of those days, not a mean of daily means.
 */
export function usualWeekOf(days: readonly DayHourTotals[]): UsualWeek {
  return Array.from({ length: 7 }, (_, index) => {
    const weekday = index + 1;
    const ofWeekday = days.filter((day) => weekdayOf(day.day) === weekday);
    const hours = Array.from({ length: 24 }, (_, hour) => {
      const sum = total(ofWeekday, (day) => day.sums[hour]);
      const samples = total(ofWeekday, (day) => day.counts[hour]);
      return { hour, averageBand: samples === 0 ? null : sum / samples, samples };
    });
    return { weekday, hours, quietestHour: extremeHour(hours, (a, b) => a < b), busiestHour: extremeHour(hours, (a, b) => a > b) };
  });
}

function total(days: readonly DayHourTotals[], valueOf: (day: DayHourTotals) => number | undefined): number {
  return days.reduce((sum, day) => sum + (valueOf(day) ?? 0), 0);
}

type ObservedHour = UsualHour & { readonly averageBand: number };

function extremeHour(hours: readonly UsualHour[], better: (a: number, b: number) => boolean): number | null {
  let best: ObservedHour | null = null;
  for (const hour of hours.filter((candidate): candidate is ObservedHour => candidate.averageBand !== null)) {
    const tie = best !== null && hour.averageBand === best.averageBand;
    if (best === null || better(hour.averageBand, best.averageBand) || (tie && hour.samples > best.samples)) best = hour;
  }
  return best?.hour ?? null;
}
