/** A new subscription's secret: shown to its owner once, kept only as a hash and sealed. */
export interface IssuedSecret {
  readonly secret: string;
  readonly hash: string;
  readonly sealed: string;
}

/**
 * For the secret each subscription shares with its receiver: the bearer token of its own
 * routes and the key its deliveries are signed with. What is stored never reveals it on its own.
 */
export interface WebhookSecrets {
  issue(subscriptionId: string): IssuedSecret;
  /** Whether `secret` is the one `hash` was made from, compared in constant time. */
  matches(secret: string, hash: string): boolean;
  /** The secret back from its sealed form; throws when it cannot be (the sealing key changed). */
  unseal(subscriptionId: string, sealed: string): string;
}

export const WEBHOOK_SECRETS = Symbol.for('WebhookSecrets');
