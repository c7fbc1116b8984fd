import test from 'ava';
import { mapFeature } from '../../../adapters/spaceout/map-feature.js';

const feature = (properties: Record<string, unknown>, coordinates: unknown = [103.9447, 1.3526]) => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates },
  properties: {
    ID: 'abc123',
    NAME: 'Tampines Mall',
    TYPE: 'mall',
    BLK_HOUSE: '4',
    ROAD_NAME: 'TAMPINES CENTRAL 5',
    ADDRESS: '4 Tampines Central 5, Singapore 529510',
    POSTALCODE: '529510',
    ...properties,
  },
});

test('a complete feature becomes a venue with coordinates read as [lng, lat]', (t) => {
  const result = mapFeature(feature({}));
  t.deepEqual(result, {
    ok: true,
    value: {
      id: 'abc123',
      name: 'Tampines Mall',
      type: 'MALL',
      address: '4 Tampines Central 5, Singapore 529510',
      postalCode: '529510',
      location: { lat: 1.3526, lng: 103.9447 },
      active: true,
    },
  });
});

test('a null ADDRESS is built from BLK_HOUSE and ROAD_NAME', (t) => {
  const result = mapFeature(feature({ ADDRESS: null }));
  t.is(result.ok && result.value.address, '4 TAMPINES CENTRAL 5');
});

test('a blank ADDRESS and no BLK_HOUSE leaves the road name alone', (t) => {
  const result = mapFeature(feature({ ADDRESS: '  ', BLK_HOUSE: null }));
  t.is(result.ok && result.value.address, 'TAMPINES CENTRAL 5');
});

test('a junk POSTALCODE becomes null rather than a guess', (t) => {
  const result = mapFeature(feature({ POSTALCODE: 'NA' }));
  t.is(result.ok && result.value.postalCode, null);
});

test('a numeric short ID is kept as text', (t) => {
  const result = mapFeature(feature({ ID: 301 }));
  t.is(result.ok && result.value.id, '301');
});

test('a latitude outside the globe is refused with the ID in the reason', (t) => {
  t.deepEqual(mapFeature(feature({}, [103.8, 95])), { ok: false, error: 'venue abc123: latitude must be a number from -90 to 90, got 95' });
});

test('a feature without NAME is refused', (t) => {
  const result = mapFeature(feature({ NAME: null }));
  t.regex(result.ok ? '' : result.error, /no name/);
});

test('a feature with an empty ID is refused', (t) => {
  const result = mapFeature(feature({ ID: '' }));
  t.is(result.ok ? '' : result.error, 'facility "" (Tampines Mall): id is empty');
});

test('a feature without Point geometry is refused for want of coordinates', (t) => {
  const polygon = { ...feature({}), geometry: { type: 'Polygon', coordinates: [[[103.9, 1.3]]] } };
  const result = mapFeature(polygon);
  t.regex(result.ok ? '' : result.error, /latitude/);
});

test('something that is not a feature is refused', (t) => {
  t.deepEqual(mapFeature('nope'), { ok: false, error: 'facility feature has no properties' });
});
