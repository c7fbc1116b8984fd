import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { WebhookUrlPolicy } from '../../application/ports/webhook-url-policy.js';
import { fail, ok, type Result } from '../../domain/result.js';
import { classifyAddress } from './address-classes.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to; tests pass fixed answers instead of asking DNS. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

export interface GuardSettings {
  /** WEBHOOK_ALLOW_LOOPBACK: loopback addresses (over plain http too) are allowed, for local use and tests. */
  readonly allowLoopback: boolean;
  /** WEBHOOK_PORTS: the ports a URL may name (or imply); empty = any. */
  readonly ports?: readonly number[];
  readonly resolve?: Resolver;
  readonly resolveTimeoutMs?: number;
}

/**
 * Which webhook URLs the service calls: https to public addresses only, so that nobody can
 * point it at the network it runs in (private ranges, loopback, link-local with the instance
 * metadata at 169.254.169.254, unique-local). A name is resolved and every address it resolves
 * to must pass. It is checked when a subscription is created and again before each attempt,
 * and the attempt connects to the address that was checked, since DNS can change in between.
 */
export class WebhookAddressGuard implements WebhookUrlPolicy {
  private readonly resolve: Resolver;
  private readonly resolveTimeoutMs: number;

  constructor(private readonly settings: GuardSettings) {
    this.resolve = settings.resolve ?? systemResolver;
    this.resolveTimeoutMs = settings.resolveTimeoutMs ?? 5_000;
  }

  async vet(text: string): Promise<Result<string>> {
    const url = this.parse(text);
    if (!url.ok) return url;
    const address = await this.address(url.value);
    return address.ok ? ok(url.value.href) : address;
  }

  /** The address to connect to for `url`, or why not; resolved and checked now. */
  async address(url: URL): Promise<Result<ResolvedAddress>> {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = isIP(host);
    let addresses: readonly ResolvedAddress[];
    try {
      addresses = literal !== 0 ? [{ address: host, family: literal === 6 ? 6 : 4 }] : await this.resolveInTime(host);
    } catch (error) {
      return fail(`${host} does not resolve (${error instanceof Error ? error.message : String(error)})`);
    }
    const [first] = addresses;
    if (first === undefined) return fail(`${host} does not resolve to any address`);
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      const resolved = literal !== 0 ? address : `${host} resolves to ${address}, which`;
      if (kind === 'loopback' && this.settings.allowLoopback) continue;
      if (kind !== 'public') return fail(`${resolved} is a ${kind} address; webhooks are sent to public addresses only`);
      if (url.protocol === 'http:')
        return fail('must use https (plain http is allowed to loopback addresses only, with WEBHOOK_ALLOW_LOOPBACK=true)');
    }
    return ok(first);
  }

  private parse(text: string): Result<URL> {
    const url = URL.canParse(text) ? new URL(text) : null;
    if (url === null) return fail(`must be an absolute https:// URL, got ${JSON.stringify(text.slice(0, 100))}`);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.settings.allowLoopback)) {
      return fail(
        `must use https${this.settings.allowLoopback ? ' (or http to a loopback address)' : ''}, got ${url.protocol.replace(':', '')}`,
      );
    }
    if (url.username !== '' || url.password !== '')
      return fail('must not carry a user name or password; put a token in the path if the receiver needs one');
    const allowed = this.settings.ports ?? [];
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    if (allowed.length > 0 && !allowed.includes(port))
      return fail(`port ${port} cannot be reached from this deployment; webhooks may use port ${allowed.join(' or ')}`);
    return ok(url);
  }

  private async resolveInTime(host: string): Promise<readonly ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.resolveTimeoutMs / 1000} s`)), this.resolveTimeoutMs);
    });
    try {
      return await Promise.race([this.resolve(host), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
