import type { Resolver } from '../../adapters/webhooks/webhook-address-guard.js';

/** Fixed DNS answers, so no test ever asks a real resolver about a public name. */
export function fixedResolver(answers: Readonly<Record<string, readonly string[]>>): Resolver {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

/** A public name for webhook URLs in tests: vetted against this fixed answer, never connected to. */
export const PUBLIC_HOOKS = { 'hooks.example.com': ['93.184.215.14'] } as const;
