import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { synthesize } from './template.js';

/**
 * `npm run synth` prints the template; `--out FILE` writes it to FILE; `--compact` drops the
 * indentation (what scripts/deploy.sh sends, to stay under CloudFormation's inline limit).
 */
function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' }, compact: { type: 'boolean', default: false } }, strict: true });
  const pretty = synthesize();
  const json = values.compact ? `${JSON.stringify(JSON.parse(pretty))}\n` : pretty;
  if (values.out === undefined) process.stdout.write(json);
  else writeFileSync(values.out, json);
}

main();
