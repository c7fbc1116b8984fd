import type { StoredSubscription } from '../../application/ports/subscription-repository.js';
import { bandLabel } from '../../domain/band.js';
import { formatMinutesOfDay } from '../../domain/subscription.js';

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/** A subscription as its owner sees it: never its secret, hash or sealed form. */
export function subscriptionJson({ subscription, state }: StoredSubscription) {
  const { watch } = subscription;
  return {
    id: subscription.id,
    venueId: watch.kind === 'venue' ? watch.venueId : null,
    near: watch.kind === 'near' ? { lat: watch.centre.lat, lng: watch.centre.lng } : null,
    radius: watch.kind === 'near' ? watch.radiusMetres : null,
    type: watch.kind === 'near' ? watch.type : null,
    maxBand: subscription.maxBand,
    between:
      subscription.between === null
        ? null
        : { from: formatMinutesOfDay(subscription.between.from), to: formatMinutesOfDay(subscription.between.to) },
    cooldownMinutes: subscription.cooldownMinutes,
    webhookUrl: subscription.webhookUrl,
    createdAt: subscription.createdAt.toISOString(),
    status: state.status,
    pausedAt: iso(state.pausedAt),
    pauseReason: state.pauseReason,
    lastNotifiedAt: iso(state.lastNotifiedAt),
    deliveries: {
      delivered: state.delivered,
      failed: state.failed,
      consecutiveFailures: state.consecutiveFailures,
      recent: state.recentDeliveries.map((record) => ({
        deliveryId: record.deliveryId,
        venueId: record.venueId,
        band: record.band,
        bandLabel: bandLabel(record.band),
        observedAt: record.observedAt.toISOString(),
        outcome: record.outcome,
        attempts: record.attempts,
        detail: record.detail,
        finishedAt: record.finishedAt.toISOString(),
      })),
    },
  };
}
