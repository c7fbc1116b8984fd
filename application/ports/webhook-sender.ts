/**
 * How one attempt ended. `retryable`: the receiver may be well the next time (5xx, a timeout,
 * a connection refused or reset); otherwise trying again would get the same answer (4xx, a
 * redirect, an address the service refuses to reach).
 */
export type SendOutcome =
  | { readonly kind: 'delivered'; readonly detail: string }
  | { readonly kind: 'failed'; readonly retryable: boolean; readonly detail: string };

/** For posting one webhook request: one attempt, bounded in time and in what it reads back. */
export interface WebhookSender {
  post(url: string, body: string, headers: Readonly<Record<string, string>>, signal?: AbortSignal): Promise<SendOutcome>;
}

export const WEBHOOK_SENDER = Symbol.for('WebhookSender');
