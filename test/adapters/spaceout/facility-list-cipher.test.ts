import { createCipheriv } from 'node:crypto';
import test from 'ava';
import { decryptFacilityList, encryptFacilityList, encryptText } from '../../../adapters/spaceout/facility-list-cipher.js';
import { UpstreamError } from '../../../domain/errors.js';

const key = 'pyRYtDWQLu83RaPCNZudQdW4WbtDdF6q';
const otherKey = 'ThisIsNotTheKeyOfTheSiteAtAll!!!';
const collection = { type: 'FeatureCollection', features: [{ properties: { ID: '1' } }] };
const iv = Buffer.alloc(16, 7);

test('an encrypted facility list decrypts to its FeatureCollection', (t) => {
  t.deepEqual(decryptFacilityList(encryptFacilityList(collection, key), key), collection);
});

test('the payload is the IV in hex, a colon, and the ciphertext in hex', (t) => {
  t.regex(encryptFacilityList(collection, key, iv), /^(?:07){16}:(?:[0-9a-f]{32})+$/);
});

test('jsonstring given as an object is accepted too', (t) => {
  t.deepEqual(decryptFacilityList(encryptText(JSON.stringify({ jsonstring: collection }), key, iv), key), collection);
});

test('the site cipher is plain AES-256-CBC with PKCS#7 padding', (t) => {
  const cipher = createCipheriv('aes-256-cbc', Buffer.from(key), iv);
  const payload = `${iv.toString('hex')}:${Buffer.concat([cipher.update(JSON.stringify({ jsonstring: JSON.stringify(collection) })), cipher.final()]).toString('hex')}`;
  t.is(payload, encryptFacilityList(collection, key, iv));
});

test('the wrong key fails with a message that points at SPACEOUT_KEY', (t) => {
  t.throws(() => decryptFacilityList(encryptFacilityList(collection, key, iv), otherKey), {
    instanceOf: UpstreamError,
    message: /SPACEOUT_KEY/,
  });
});

test('plaintext that is not JSON is refused and quoted', (t) => {
  t.throws(() => decryptFacilityList(encryptText('<html>hello</html>', key, iv), key), {
    instanceOf: UpstreamError,
    message: /^decrypted facility list is not JSON \(starts "<html>hello<\/html>"\)/,
  });
});

test('JSON without jsonstring is refused', (t) => {
  t.throws(() => decryptFacilityList(encryptText('{"other":1}', key, iv), key), {
    instanceOf: UpstreamError,
    message: /no member "jsonstring"/,
  });
});

test('a jsonstring that is not JSON is refused', (t) => {
  t.throws(() => decryptFacilityList(encryptText('{"jsonstring":"{not json"}', key, iv), key), {
    instanceOf: UpstreamError,
    message: /"jsonstring" that is not JSON/,
  });
});

test('a jsonstring without a features list is refused', (t) => {
  t.throws(() => decryptFacilityList(encryptText('{"jsonstring":"{\\"type\\":\\"FeatureCollection\\"}"}', key, iv), key), {
    instanceOf: UpstreamError,
    message: /no GeoJSON FeatureCollection/,
  });
});

test('a payload without the iv:ciphertext shape is refused', (t) => {
  t.throws(() => decryptFacilityList('abc', key), { instanceOf: UpstreamError, message: /<iv-hex>:<ciphertext-hex>/ });
  t.throws(() => decryptFacilityList(`${'0'.repeat(32)}:abc`, key), { instanceOf: UpstreamError, message: /whole AES blocks/ });
  t.throws(() => decryptFacilityList(`${'0'.repeat(30)}:${'0'.repeat(32)}`, key), { instanceOf: UpstreamError, message: /16-byte IV/ });
});

test('a payload that is not text is refused', (t) => {
  t.throws(() => decryptFacilityList(42, key), { instanceOf: UpstreamError, message: /not an encrypted string \(got number\)/ });
  t.throws(() => decryptFacilityList(null, key), { instanceOf: UpstreamError, message: /got null/ });
});

test('a key that is not 32 bytes is a settings error, not an upstream one', (t) => {
  t.throws(() => decryptFacilityList(encryptFacilityList(collection, key, iv), 'short'), {
    instanceOf: RangeError,
    message: /^SPACEOUT_KEY is invalid: expected exactly 32 bytes for AES-256, got 5$/,
  });
});
