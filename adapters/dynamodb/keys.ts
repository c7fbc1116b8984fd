/** How items are keyed; docs/dynamodb.md lists each item type and the access pattern it serves. */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Day rollups follow Singapore's calendar (UTC+08:00), since users ask for Singapore days. */
export const SINGAPORE_OFFSET_MS = 8 * HOUR_MS;

export const VENUE_PARTITION = 'VENUE';
export const LATEST_PARTITION = 'LATEST';
export const PENDING_ROLLUP = 'ROLLUP';

export const readingPartition = (venueId: string): string => `READING#${venueId}`;
export const hourPartition = (hour: string): string => `HOUR#${hour}`;
export const dayPartition = (day: string): string => `DAY#${day}`;
export const rawHourPartition = (hour: string): string => `H#${hour}`;

/** `2020-08-01T04`: the UTC hour an instant falls in. */
export function hourKey(instant: number): string {
  return new Date(Math.floor(instant / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);
}

export function hourStart(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

/** `2020-08-01`: the Singapore calendar day an instant falls in. */
export function singaporeDayKey(instant: number): string {
  return new Date(instant + SINGAPORE_OFFSET_MS).toISOString().slice(0, 10);
}

/** `00`..`23`: the Singapore hour of the day, naming a day rollup's per-hour attributes. */
export function singaporeHourOfDay(instant: number): string {
  return new Date(instant + SINGAPORE_OFFSET_MS).toISOString().slice(11, 13);
}

export function isSingaporeMidnight(instant: number): boolean {
  return (instant + SINGAPORE_OFFSET_MS) % DAY_MS === 0;
}

/** Day blocks: level L covers 2^L Singapore days, aligned to 1970-01-01; level 0 is one day. */
export const MAX_BLOCK_LEVEL = 5;

/** Singapore days since 1970-01-01. */
export function singaporeDayNumber(instant: number): number {
  return Math.floor((instant + SINGAPORE_OFFSET_MS) / DAY_MS);
}

export function dayKeyOfNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export const blockPartition = (level: number, index: number): string => (level === 0 ? dayPartition(dayKeyOfNumber(index)) : `BLOCK#${level}#${index}`);
