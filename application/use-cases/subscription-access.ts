import { inject, injectable } from 'inversify';
import { NotFoundError, WrongSecretError } from '../../domain/errors.js';
import { resumed } from '../../domain/subscription.js';
import { SUBSCRIPTION_REPOSITORY, type StoredSubscription, type SubscriptionRepository } from '../ports/subscription-repository.js';
import { WEBHOOK_SECRETS, type WebhookSecrets } from '../ports/webhook-secrets.js';

/** A subscription is read, resumed and deleted only with its own secret. */
async function owned(
  subscriptions: SubscriptionRepository,
  secrets: WebhookSecrets,
  id: string,
  secret: string,
): Promise<StoredSubscription> {
  const stored = await subscriptions.get(id);
  if (stored === null) throw new NotFoundError(`no subscription has id ${id}`);
  if (!secrets.matches(secret, stored.secretHash)) throw new WrongSecretError(`the bearer token is not the secret of subscription ${id}`);
  return stored;
}

/** Throws NotFoundError for an unknown id, WrongSecretError for another secret. */
@injectable()
export class GetSubscription {
  constructor(
    @inject(SUBSCRIPTION_REPOSITORY) private readonly subscriptions: SubscriptionRepository,
    @inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
  ) {}

  execute(id: string, secret: string): Promise<StoredSubscription> {
    return owned(this.subscriptions, this.secrets, id, secret);
  }
}

/** Deletes it; alerts still waiting for it are dropped rather than sent. */
@injectable()
export class DeleteSubscription {
  constructor(
    @inject(SUBSCRIPTION_REPOSITORY) private readonly subscriptions: SubscriptionRepository,
    @inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
  ) {}

  async execute(id: string, secret: string): Promise<void> {
    await owned(this.subscriptions, this.secrets, id, secret);
    if (!(await this.subscriptions.remove(id))) throw new NotFoundError(`no subscription has id ${id}`);
  }
}

/**
 * Resumes a paused subscription: alerts go out again from the next drop to its band. What was
 * queued while it was paused was dropped, not kept for now. Resuming an active one changes nothing.
 */
@injectable()
export class ResumeSubscription {
  constructor(
    @inject(SUBSCRIPTION_REPOSITORY) private readonly subscriptions: SubscriptionRepository,
    @inject(WEBHOOK_SECRETS) private readonly secrets: WebhookSecrets,
  ) {}

  async execute(id: string, secret: string): Promise<StoredSubscription> {
    const stored = await owned(this.subscriptions, this.secrets, id, secret);
    const state = await this.subscriptions.updateState(id, resumed);
    if (state === null) throw new NotFoundError(`no subscription has id ${id}`);
    return { ...stored, state };
  }
}
