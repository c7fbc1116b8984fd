import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UpstreamError } from '../../domain/errors.js';
import { checkKeySize } from './facility-list-key.js';
import { isRecord } from './is-record.js';

const ALGORITHM = 'aes-256-cbc';
const IV_BYTES = 16;

/** The decrypted facility list; its features are still untrusted. */
export interface FeatureCollection {
  readonly type?: unknown;
  readonly features: readonly unknown[];
}

/**
 * Decrypts `<iv-hex>:<ciphertext-hex>` (AES-256-CBC, PKCS#7) to the GeoJSON FeatureCollection
 * inside the member `jsonstring` (a JSON-encoded string, or already an object).
 */
export function decryptFacilityList(payload: unknown, key: string): FeatureCollection {
  const plain = decryptText(payload, key);
  return featureCollectionOf(plain);
}

/** The inverse, for the simulator and tests: `jsonstring` holds the collection as a JSON-encoded string. */
export function encryptFacilityList(featureCollection: unknown, key: string, iv: Buffer = randomBytes(IV_BYTES)): string {
  return encryptText(JSON.stringify({ jsonstring: JSON.stringify(featureCollection) }), key, iv);
}

/** Encrypts any text the way the site does, so the simulator can also send plaintext that is junk. */
export function encryptText(plain: string, key: string, iv: Buffer = randomBytes(IV_BYTES)): string {
  const cipher = createCipheriv(ALGORITHM, keyBytes(key), iv);
  return `${iv.toString('hex')}:${Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('hex')}`;
}

function decryptText(payload: unknown, key: string): string {
  if (typeof payload !== 'string')
    throw new UpstreamError(`facility list is not an encrypted string (got ${payload === null ? 'null' : typeof payload})`);
  const [ivHex, cipherHex, ...rest] = payload.trim().split(':');
  if (rest.length > 0 || !isHex(ivHex, IV_BYTES * 2) || !isHex(cipherHex) || cipherHex.length % (IV_BYTES * 2) !== 0) {
    throw new UpstreamError(
      `facility list is not "<iv-hex>:<ciphertext-hex>" with a 16-byte IV and whole AES blocks (starts ${JSON.stringify(payload.slice(0, 40))})`,
    );
  }
  const decipher = createDecipheriv(ALGORITHM, keyBytes(key), Buffer.from(ivHex, 'hex'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(cipherHex, 'hex')), decipher.final()]).toString('utf8');
  } catch {
    // With CBC a wrong key shows up as bad PKCS#7 padding in the last block.
    throw new UpstreamError("facility list did not decrypt (bad padding): is SPACEOUT_KEY the site's current key?");
  }
}

function featureCollectionOf(plain: string): FeatureCollection {
  const outer = parseJson(plain);
  if (outer === undefined) {
    throw new UpstreamError(
      `decrypted facility list is not JSON (starts ${JSON.stringify(plain.slice(0, 40))}): is SPACEOUT_KEY the site's current key?`,
    );
  }
  if (!isRecord(outer) || !('jsonstring' in outer)) throw new UpstreamError('decrypted facility list has no member "jsonstring"');
  const inner = outer['jsonstring'];
  const collection = typeof inner === 'string' ? parseJson(inner) : inner;
  if (collection === undefined) {
    throw new UpstreamError(
      `decrypted facility list has a "jsonstring" that is not JSON (starts ${JSON.stringify((inner as string).slice(0, 40))})`,
    );
  }
  if (!isRecord(collection) || !Array.isArray(collection['features'])) {
    throw new UpstreamError('decrypted facility list has no GeoJSON FeatureCollection (an object with a "features" list) in "jsonstring"');
  }
  return { type: collection['type'], features: collection['features'] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function keyBytes(key: string): Buffer {
  checkKeySize(key, 'SPACEOUT_KEY');
  return Buffer.from(key, 'utf8');
}

function isHex(text: string | undefined, length?: number): text is string {
  return text !== undefined && text.length > 0 && (length === undefined || text.length === length) && /^[0-9a-f]+$/i.test(text);
}
