import test from 'ava';
import { bandLabel, bandOf } from '../../domain/band.js';

test('bands 0 to 3 are accepted', (t) => {
  for (const band of [0, 1, 2, 3]) t.deepEqual(bandOf(band), { ok: true, value: band });
});

for (const bad of [-1, 4, 1.5, '2', null, Number.NaN]) {
  test(`a band of ${String(bad)} is refused with the value in the reason`, (t) => {
    const result = bandOf(bad);
    t.false(result.ok);
    if (!result.ok) t.regex(result.error, /band must be an integer from 0 to 3/);
  });
}

test('each band has a label, the highest being very crowded', (t) => {
  t.is(bandLabel(0), 'not crowded');
  t.is(bandLabel(3), 'very crowded');
});
