import type { Band } from './band.js';
import type { BandChanged } from './events.js';
import type { GeoPoint } from './geo-point.js';
import { nearbyDistance } from './nearby.js';
import { fail, ok, type Result } from './result.js';
import { DAY_MS, SINGAPORE_OFFSET_MS } from './singapore-calendar.js';
import type { Venue } from './venue.js';
import type { VenueId } from './venue-id.js';

/** A quiet alert fires at or below one of these bands; band 3 is never "quiet". */
export type QuietBand = 0 | 1 | 2;

/** What a subscription watches: one venue, or every active venue (of a type) within a radius. */
export type Watch =
  | { readonly kind: 'venue'; readonly venueId: VenueId }
  | { readonly kind: 'near'; readonly centre: GeoPoint; readonly radiusMetres: number; readonly type: string | null };

/** A daily window in Singapore time, in minutes after midnight: [from, to), wrapping past midnight when to < from. */
export interface SingaporeHours {
  readonly from: number;
  readonly to: number;
}

/** "Tell me when it gets quiet": who is told, about what, and when. */
export interface Subscription {
  readonly id: string;
  readonly watch: Watch;
  readonly maxBand: QuietBand;
  readonly between: SingaporeHours | null;
  /** Minimum time between two alerts of this subscription, whichever venues they are about. */
  readonly cooldownMinutes: number;
  readonly webhookUrl: string;
  readonly createdAt: Date;
}

export type DeliveryOutcome = 'delivered' | 'failed';

/** How one delivery ended, as its subscriber sees it on GET. */
export interface DeliveryRecord {
  readonly deliveryId: string;
  readonly venueId: VenueId;
  readonly band: Band;
  readonly observedAt: Date;
  readonly outcome: DeliveryOutcome;
  readonly attempts: number;
  /** The last attempt's result in a few words: `HTTP 204`, `HTTP 500`, `timed out after 5 s`. */
  readonly detail: string;
  readonly finishedAt: Date;
}

/** What changes as alerts go out. */
export interface SubscriptionState {
  readonly status: 'active' | 'paused';
  readonly pausedAt: Date | null;
  readonly pauseReason: string | null;
  /** The observedAt of the newest drop an alert was queued for: the cooldown counts from it, and nothing older is announced after it. */
  readonly lastNotifiedAt: Date | null;
  readonly consecutiveFailures: number;
  readonly delivered: number;
  readonly failed: number;
  /** Newest first, at most RECENT_DELIVERIES. */
  readonly recentDeliveries: readonly DeliveryRecord[];
}

export const RECENT_DELIVERIES = 10;
export const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;

export const NEW_SUBSCRIPTION_STATE: SubscriptionState = {
  status: 'active',
  pausedAt: null,
  pauseReason: null,
  lastNotifiedAt: null,
  consecutiveFailures: 0,
  delivered: 0,
  failed: 0,
  recentDeliveries: [],
};

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `07:30` as minutes after midnight. */
export function minutesOfDay(text: string): Result<number> {
  const match = HH_MM.exec(text);
  if (match === null) return fail(`must be HH:MM from 00:00 to 23:59, got ${JSON.stringify(text)}`);
  return ok(Number(match[1]) * 60 + Number(match[2]));
}

export function formatMinutesOfDay(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function singaporeHoursOf(from: string, to: string): Result<SingaporeHours> {
  const start = minutesOfDay(from);
  if (!start.ok) return fail(`from ${start.error}`);
  const end = minutesOfDay(to);
  if (!end.ok) return fail(`to ${end.error}`);
  if (start.value === end.value) return fail('from and to must differ (leave between out to be told at any hour)');
  return ok({ from: start.value, to: end.value });
}

export function withinHours(hours: SingaporeHours | null, instant: Date): boolean {
  if (hours === null) return true;
  const minute = Math.floor(((instant.getTime() + SINGAPORE_OFFSET_MS) % DAY_MS) / 60_000);
  return hours.from < hours.to ? minute >= hours.from && minute < hours.to : minute >= hours.from || minute < hours.to;
}

/** Whether the venue is one the subscription watches; a nearby watch counts active venues only, at the distance the API serves. */
export function watches(watch: Watch, venueId: VenueId, venue: Venue | undefined): boolean {
  if (watch.kind === 'venue') return watch.venueId === venueId;
  return venue !== undefined && nearbyDistance(watch, venue) !== null;
}

/**
 * A band change is an alert when it crosses into the condition (from above `maxBand` to at or
 * below it) at a watched venue within the hours; a venue that stays quiet raises no new change.
 */
export function isQuietAlert(subscription: Subscription, change: BandChanged, venue: Venue | undefined): boolean {
  return (
    change.previousBand > subscription.maxBand &&
    change.band <= subscription.maxBand &&
    withinHours(subscription.between, change.observedAt) &&
    watches(subscription.watch, change.venueId, venue)
  );
}

/**
 * Whether an alert about a drop observed at `observedAt` is due, given the last one: never for
 * a drop no newer than it (already announced, or older news), and not within the cooldown.
 */
export function alertDue(subscription: Subscription, lastNotifiedAt: Date | null, observedAt: Date): boolean {
  if (lastNotifiedAt === null) return true;
  return (
    observedAt.getTime() > lastNotifiedAt.getTime() &&
    observedAt.getTime() >= lastNotifiedAt.getTime() + subscription.cooldownMinutes * 60_000
  );
}

/** The state after a delivery ended: counted, remembered, and paused after `pauseAfter` failures in a row. */
export function afterDelivery(state: SubscriptionState, record: DeliveryRecord, pauseAfter: number): SubscriptionState {
  const recentDeliveries = [record, ...state.recentDeliveries.filter((r) => r.deliveryId !== record.deliveryId)].slice(
    0,
    RECENT_DELIVERIES,
  );
  if (record.outcome === 'delivered') {
    return { ...state, consecutiveFailures: 0, delivered: state.delivered + 1, recentDeliveries };
  }
  const consecutiveFailures = state.consecutiveFailures + 1;
  const pause = state.status === 'active' && consecutiveFailures >= pauseAfter;
  return {
    ...state,
    consecutiveFailures,
    failed: state.failed + 1,
    recentDeliveries,
    ...(pause
      ? {
          status: 'paused',
          pausedAt: record.finishedAt,
          pauseReason: `paused after ${consecutiveFailures} failed deliveries in a row; the last: ${record.detail}`,
        }
      : {}),
  };
}

/**
 * The state once its owner resumes it (the receiver fixed): active, and its failures in a row
 * forgotten so that one more failure does not pause it again at once. Its counts and recent
 * deliveries stay; an active subscription is returned as it is.
 */
export function resumed(state: SubscriptionState): SubscriptionState {
  if (state.status === 'active') return state;
  return { ...state, status: 'active', pausedAt: null, pauseReason: null, consecutiveFailures: 0 };
}
