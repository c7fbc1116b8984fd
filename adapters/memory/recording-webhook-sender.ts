import type { SendOutcome, WebhookSender } from '../../application/ports/webhook-sender.js';

export interface RecordedPost {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A webhook sender that records every post and answers what a test scripted (delivered once the script runs out). */
export class RecordingWebhookSender implements WebhookSender {
  readonly posts: RecordedPost[] = [];
  private readonly script: SendOutcome[] = [];

  /** The next answers, in order. */
  answer(...outcomes: SendOutcome[]): void {
    this.script.push(...outcomes);
  }

  async post(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<SendOutcome> {
    this.posts.push({ url, body, headers });
    return this.script.shift() ?? { kind: 'delivered', detail: 'HTTP 204' };
  }
}

export const HTTP_500: SendOutcome = { kind: 'failed', retryable: true, detail: 'HTTP 500' };
export const HTTP_410: SendOutcome = { kind: 'failed', retryable: false, detail: 'HTTP 410' };
export const TIMED_OUT: SendOutcome = { kind: 'failed', retryable: true, detail: 'timed out after 5 s' };
