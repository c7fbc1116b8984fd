import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { InvalidInputError } from '../../domain/errors.js';
import { NEW_SUBSCRIPTION_STATE, type QuietBand, type SingaporeHours, type Subscription, type Watch } from '../../domain/subscription.js';
import { CLOCK, type Clock } from '../ports/clock.js';
import { READING_REPOSITORY, type ReadingRepository } from '../ports/reading-repository.js';
import { SUBSCRIPTION_REPOSITORY, type StoredSubscription, type SubscriptionRepository } from '../ports/subscription-repository.js';
import { VENUE_REPOSITORY, type VenueRepository } from '../ports/venue-repository.js';
import { WEBHOOK_SECRETS, type WebhookSecrets } from '../ports/webhook-secrets.js';
import { WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from '../ports/webhook-url-policy.js';
import { unknownVenue } from './get-venue.js';

export interface SubscriptionRequest {
  readonly watch: Watch;
  readonly maxBand: QuietBand;
  readonly between: SingaporeHours | null;
  readonly cooldownMinutes: number;
  readonly webhookUrl: string;
}

export interface CreatedSubscription {
  readonly stored: StoredSubscription;
  /** Shown to the caller this once; the store keeps only its hash and its sealed form. */
  readonly secret: string;
}

/**
 * Creates a quiet alert. Throws NotFoundError for a venue no facility list had, and
 * InvalidInputError naming webhookUrl for a URL the service will not call.
 */
@injectable()
export class CreateSubscription {
  constructor(
    @inject(VENUE_REPOSITORY) private readonly venues: VenueRepository,
    @inject(READING_REPOSITORY) private readonly readings: ReadingRepository,
    @inject(SUBSCRIPTION_REPOSITORY) private readonly subscriptions: SubscriptionRepository,
    @inject(WEBHOOK_URL_POLICY) private readonly urls: WebhookUrlPolicy,
    @inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
    @inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(request: SubscriptionRequest): Promise<CreatedSubscription> {
    if (request.watch.kind === 'venue' && (await this.venues.get(request.watch.venueId)) === null) {
      throw await unknownVenue(request.watch.venueId, this.readings);
    }
    const url = await this.urls.vet(request.webhookUrl);
    if (!url.ok) throw new InvalidInputError('webhookUrl', url.error);
    const subscription: Subscription = { id: randomUUID(), ...request, webhookUrl: url.value, createdAt: this.clock.now() };
    const issued = this.secrets.issue(subscription.id);
    const stored: StoredSubscription = {
      subscription,
      secretHash: issued.hash,
      sealedSecret: issued.sealed,
      state: NEW_SUBSCRIPTION_STATE,
    };
    await this.subscriptions.add(stored);
    return { stored, secret: issued.secret };
  }
}
