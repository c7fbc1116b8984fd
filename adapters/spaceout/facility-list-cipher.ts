import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { UpstreamError } from '../../domain/errors.js';

const ALGORITHM = 'aes-256-cbc';

/** Decrypts `<iv-hex>:<ciphertext-hex>` (AES-256-CBC, PKCS#7) to the GeoJSON FeatureCollection inside. */
export function decryptFacilityList(payload: unknown, key: string): unknown {
  if (typeof payload !== 'string') throw new UpstreamError(`facility list is not an encrypted string (got ${typeof payload})`);
  const [ivHex, cipherHex, ...rest] = payload.split(':');
  if (rest.length > 0 || !isHex(ivHex, 32) || !isHex(cipherHex) || cipherHex!.length % 32 !== 0) {
    throw new UpstreamError('facility list is not "<iv-hex>:<ciphertext-hex>" with a 16-byte IV and whole AES blocks');
  }
  let plain: string;
  try {
    const decipher = createDecipheriv(ALGORITHM, Buffer.from(key, 'utf8'), Buffer.from(ivHex!, 'hex'));
    plain = Buffer.concat([decipher.update(Buffer.from(cipherHex!, 'hex')), decipher.final()]).toString('utf8');
  } catch {
    throw new UpstreamError('facility list did not decrypt (bad padding): is SPACEOUT_KEY the site\'s current key?');
  }
  return featureCollectionOf(plain);
}

/** The inverse, for the simulator and tests. */
export function encryptFacilityList(featureCollection: unknown, key: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv(ALGORITHM, Buffer.from(key, 'utf8'), iv);
  const plain = JSON.stringify({ jsonstring: JSON.stringify(featureCollection) });
  return `${iv.toString('hex')}:${Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('hex')}`;
}

function featureCollectionOf(plain: string): unknown {
  let outer: unknown;
  try {
    outer = JSON.parse(plain);
  } catch {
    throw new UpstreamError(`decrypted facility list is not JSON (starts ${JSON.stringify(plain.slice(0, 40))})`);
  }
  const inner = isRecord(outer) ? outer['jsonstring'] : undefined;
  let collection: unknown = inner;
  if (typeof inner === 'string') {
    try {
      collection = JSON.parse(inner);
    } catch {
      throw new UpstreamError('decrypted facility list has a jsonstring that is not JSON');
    }
  }
  if (!isRecord(collection) || !Array.isArray(collection['features'])) {
    throw new UpstreamError('decrypted facility list has no GeoJSON FeatureCollection in "jsonstring"');
  }
  return collection;
}

function isHex(text: string | undefined, length?: number): boolean {
  return text !== undefined && text.length > 0 && (length === undefined || text.length === length) && /^[0-9a-f]+$/i.test(text);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
