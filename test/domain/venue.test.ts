import test from 'ava';
import { postalCodeOf, venueOf } from '../../domain/venue.js';

const valid = {
  id: 'abc',
  name: ' Bishan  Junction 8 ',
  type: 'mall',
  address: '9 Bishan Place',
  postalCode: '579837',
  lat: 1.35,
  lng: 103.85,
};

test('a valid venue is normalised: trimmed name, upper-case type, active', (t) => {
  const result = venueOf(valid);
  t.true(result.ok);
  if (result.ok) {
    t.is(result.value.name, 'Bishan Junction 8');
    t.is(result.value.type, 'MALL');
    t.true(result.value.active);
  }
});

test('an empty id is refused', (t) => {
  t.false(venueOf({ ...valid, id: '  ' }).ok);
});

test('an id with a slash is refused, since ids end up in URLs', (t) => {
  t.false(venueOf({ ...valid, id: 'a/b' }).ok);
});

test('numeric ids are kept as their decimal text', (t) => {
  const result = venueOf({ ...valid, id: 301 });
  t.true(result.ok && result.value.id === '301');
});

test('a latitude outside WGS 84 is refused', (t) => {
  const result = venueOf({ ...valid, lat: 91 });
  t.false(result.ok);
  if (!result.ok) t.regex(result.error, /latitude/);
});

test('a longitude that is not a number is refused', (t) => {
  t.false(venueOf({ ...valid, lng: '103.8' }).ok);
});

test('a venue without a name is refused', (t) => {
  t.false(venueOf({ ...valid, name: null }).ok);
});

test('postal codes are six digits or null, never guessed', (t) => {
  t.is(postalCodeOf('579837'), '579837');
  t.is(postalCodeOf(79837), '079837');
  t.is(postalCodeOf('NIL'), null);
  t.is(postalCodeOf('12345'), null);
  t.is(postalCodeOf(null), null);
});
