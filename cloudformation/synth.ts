import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { synthesize } from './template.js';

/** `npm run synth` prints the template; `npm run synth -- --out FILE` writes it to FILE. */
function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  const json = synthesize();
  if (values.out === undefined) process.stdout.write(json);
  else writeFileSync(values.out, json);
}

main();
