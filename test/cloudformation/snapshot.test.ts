import test from 'ava';
import { readFileSync } from 'node:fs';
import { synthesize } from '../../cloudformation/template.js';

const SNAPSHOT = 'cloudformation/template.snapshot.json';

test('the synthesised template equals the reviewed snapshot', (t) => {
  const snapshot = readFileSync(SNAPSHOT, 'utf8');
  const current = synthesize();
  if (current === snapshot) {
    t.pass();
    return;
  }
  t.deepEqual(
    JSON.parse(current),
    JSON.parse(snapshot),
    `the template changed: review the difference, then run  npm run synth -- --out ${SNAPSHOT}  and commit the snapshot`,
  );
  t.is(current, snapshot, `same content, different formatting: run  npm run synth -- --out ${SNAPSHOT}`);
});
