import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IssuedSecret, WebhookSecrets } from '../../application/ports/webhook-secrets.js';

const SEALED_VERSION = 'v1';

/**
 * Subscription secrets at rest: a SHA-256 hash for checking bearer tokens (the secrets are 256
 * random bits, so no slow hash is needed) and the secret sealed with AES-256-GCM under a key
 * derived from WEBHOOK_SECRET_KEY (on AWS, generated into Secrets Manager, encrypted by KMS),
 * bound to its subscription id. Neither reveals the secret to someone who can read the table
 * but not the key. A changed key makes sealed secrets unreadable, loudly, instead of signing
 * with something else.
 */
export class SealedWebhookSecrets implements WebhookSecrets {
  private readonly key: Buffer;

  constructor(secretKey: string) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, 'spaceout-crowd', 'webhook-secrets/v1', 32));
  }

  issue(subscriptionId: string): IssuedSecret {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    return { secret, hash: hashOf(secret), sealed: this.seal(subscriptionId, secret) };
  }

  matches(secret: string, hash: string): boolean {
    const given = Buffer.from(hashOf(secret), 'hex');
    const stored = Buffer.from(hash, 'hex');
    return given.length === stored.length && timingSafeEqual(given, stored);
  }

  unseal(subscriptionId: string, sealed: string): string {
    const [version, iv, ciphertext, tag] = sealed.split('.');
    if (version !== SEALED_VERSION || iv === undefined || ciphertext === undefined || tag === undefined)
      throw new Error('the sealed secret is not in a known format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(subscriptionId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('the secret cannot be unsealed: WEBHOOK_SECRET_KEY is not the key it was sealed with');
    }
  }

  private seal(subscriptionId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(subscriptionId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [SEALED_VERSION, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(
      '.',
    );
  }
}

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');
