/** How items are keyed; docs/dynamodb.md lists each item type and the access pattern it serves. */
import { HOUR_MS } from '../../domain/singapore-calendar.js';

/** One venue's readings, one item each, for its history. */
export const readingPartition = (venueId: string): string => `READING#${venueId}`;

/**
 * Packed partitions: every venue's figures for one bucket (an hour, a day, a block of days)
 * in a few shard items, so a question about all venues reads a few items, not one per venue.
 * A venue always lives in the same shard (a hash of its id), so one venue's figures are one
 * GetItem away too.
 */
export const PACKED = {
  venues: 'P#VENUES',
  latest: 'P#LATEST',
  /** Every reading observed in one UTC hour: the ragged edges of an average, and what is already stored. */
  raw: (hour: string): string => `P#RAW#${hour}`,
  /** Per venue, sum and count of each Singapore hour of one Singapore day. */
  day: (day: string): string => `P#DAY#${day}`,
  /** Per venue, sum and count over the 2^level Singapore days from day number index·2^level. */
  block: (level: number, index: number): string => `P#BLOCK#${level}#${index}`,
} as const;

/**
 * Shards per packed partition, sized so that 5,000 venues with 36-character ids fit in items
 * well under DynamoDB's 400 KB (docs/dynamodb.md has the arithmetic). More shards cost more
 * writes per poll; days have the most because a venue's usual week reads one shard per day.
 */
export const SHARDS = { venues: 8, latest: 4, raw: 16, day: 32, block: 2 } as const;

/** The shard a venue lives in: FNV-1a of its id, so every process agrees without asking the table. */
export function shardOf(venueId: string, shards: number): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < venueId.length; i++) {
    hash ^= venueId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % shards).padStart(2, '0');
}

/** The single item that serialises ingest: the batch being applied, or the last one applied. */
export const INGEST_HEAD = { pk: 'INGEST', sk: 'head' } as const;
export const LEASE_KEY = { pk: 'LEASE', sk: 'poll' } as const;
export const OUTBOX_PARTITION = 'OUTBOX';

/**
 * Webhook subscriptions, one item each (`sk` = subscription id): a poll with band changes reads
 * the whole partition once to match them, and a subscription's state changes with one small write.
 */
export const SUBSCRIPTION_PARTITION = 'SUBSCRIPTION';
/** A subscription's recent deliveries (`sk` = subscription id), apart from it so that matching never reads them. */
export const DELIVERED_PARTITION = 'DELIVERED';
/** Alerts waiting to be sent, one item each (`sk` = delivery id); each run of the notifier reads the partition once. */
export const DELIVERY_PARTITION = 'DELIVERY';

/** `2020-08-01T04`: the UTC hour an instant falls in. */
export function hourKey(instant: number): string {
  return new Date(Math.floor(instant / HOUR_MS) * HOUR_MS).toISOString().slice(0, 13);
}

export function hourStart(hour: string): number {
  return Date.parse(`${hour}:00:00.000Z`);
}

/** Day blocks: level L covers 2^L Singapore days, aligned to 1970-01-01; level 0 is one day. */
export const MAX_BLOCK_LEVEL = 5;
