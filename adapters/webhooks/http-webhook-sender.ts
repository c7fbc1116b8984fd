import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { SendOutcome, WebhookSender } from '../../application/ports/webhook-sender.js';
import type { ResolvedAddress, WebhookAddressGuard } from './webhook-address-guard.js';

export interface SenderSettings {
  /** One attempt, connection to status line. */
  readonly timeoutMs: number;
  /** At most this much of a reply is read, then the connection is closed. */
  readonly maxResponseBytes?: number;
}

const USER_AGENT = 'spaceout-crowd-webhooks/1';

/**
 * One POST per attempt with node:http(s) rather than got: the attempt must connect to the
 * address the guard has just checked (a pinned lookup), never follow a redirect, stop reading
 * after a few bytes, and report each outcome to the notifier, whose retry policy (with the
 * subscription's bookkeeping between attempts) is the one that counts.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly maxResponseBytes: number;

  constructor(
    private readonly guard: WebhookAddressGuard,
    private readonly settings: SenderSettings,
  ) {
    this.maxResponseBytes = settings.maxResponseBytes ?? 1024;
  }

  async post(url: string, body: string, headers: Readonly<Record<string, string>>, stop?: AbortSignal): Promise<SendOutcome> {
    const target = new URL(url);
    // Checked again now, not only at creation: the name may resolve elsewhere today.
    const address = await this.guard.address(target);
    if (!address.ok) return { kind: 'failed', retryable: false, detail: `refused: ${address.error}` };
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = stop === undefined ? timeout : AbortSignal.any([stop, timeout]);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<SendOutcome>((resolve) => {
      const outgoing = request(
        target,
        {
          method: 'POST',
          agent: false,
          signal,
          lookup: pinnedLookup(address.value),
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': USER_AGENT,
            ...headers,
          },
        },
        (response) => {
          resolve(outcomeOf(response.statusCode ?? 0));
          this.discard(response);
        },
      );
      outgoing.on('error', (error) => {
        if (timeout.aborted) resolve({ kind: 'failed', retryable: true, detail: `timed out after ${this.settings.timeoutMs / 1000} s` });
        else if (stop?.aborted === true) resolve({ kind: 'failed', retryable: true, detail: 'stopped: the service is shutting down' });
        else
          resolve({
            kind: 'failed',
            retryable: true,
            detail: `connection failed (${(error as NodeJS.ErrnoException).code ?? error.message})`,
          });
      });
      outgoing.end(body);
    });
  }

  /** Reads at most maxResponseBytes of the reply, then hangs up: a receiver cannot make us read a large body. */
  private discard(response: IncomingMessage): void {
    let read = 0;
    response.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > this.maxResponseBytes) response.destroy();
    });
    response.on('error', () => {});
  }
}

function outcomeOf(status: number): SendOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', detail: `HTTP ${status}` };
  if (status >= 300 && status < 400) return { kind: 'failed', retryable: false, detail: `HTTP ${status}: redirects are not followed` };
  return { kind: 'failed', retryable: status >= 500 && status < 600, detail: `HTTP ${status}` };
}

/** Connects to the address already checked, whatever DNS would answer now. */
function pinnedLookup({ address, family }: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options.all === true) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as LookupFunction;
}
