import type { Result } from '../../domain/result.js';

/**
 * For deciding whether the service may call a URL: https to a public address (plain http to
 * loopback only where allowed). Names are resolved, and every address they resolve to is checked.
 */
export interface WebhookUrlPolicy {
  /** The URL as it will be called, or why it is refused (for the 400 naming webhookUrl). */
  vet(url: string): Promise<Result<string>>;
}

export const WEBHOOK_URL_POLICY = Symbol.for('WebhookUrlPolicy');
