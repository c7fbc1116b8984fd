import test from 'ava';
import { decryptFacilityList, encryptFacilityList } from '../../../adapters/spaceout/facility-list-cipher.js';
import { UpstreamError } from '../../../domain/errors.js';

const key = 'pyRYtDWQLu83RaPCNZudQdW4WbtDdF6q';
const collection = { type: 'FeatureCollection', features: [{ properties: { ID: '1' } }] };

test('an encrypted facility list decrypts to its FeatureCollection', (t) => {
  t.deepEqual(decryptFacilityList(encryptFacilityList(collection, key), key), collection);
});

test('jsonstring given as an object is accepted too', async (t) => {
  const { createCipheriv } = await import('node:crypto');
  const iv = Buffer.alloc(16, 7);
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(key), iv);
  const payload = `${iv.toString('hex')}:${Buffer.concat([cipher.update(JSON.stringify({ jsonstring: collection })), cipher.final()]).toString('hex')}`;
  t.deepEqual(decryptFacilityList(payload, key), collection);
});

test('the wrong key fails with a message that points at SPACEOUT_KEY', (t) => {
  const error = t.throws(() => decryptFacilityList(encryptFacilityList(collection, key), 'ThisIsNotTheKeyOfTheSiteAtAll!!!'), { instanceOf: UpstreamError });
  t.regex(error?.message ?? '', /SPACEOUT_KEY|did not decrypt|not JSON/);
});

test('a payload without the iv:ciphertext shape is refused', (t) => {
  t.throws(() => decryptFacilityList('abc', key), { instanceOf: UpstreamError, message: /<iv-hex>:<ciphertext-hex>/ });
  t.throws(() => decryptFacilityList(42, key), { instanceOf: UpstreamError });
});
