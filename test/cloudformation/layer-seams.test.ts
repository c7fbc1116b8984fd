import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Each layer builder takes what it needs as its input and returns what it made as outputs,
 * like the Parameters and Outputs between stacks. Only the composition root, template.ts,
 * imports the layers and passes one's outputs to the next one's inputs; so no layer spells
 * another layer's logical ids, and renaming a resource touches the layer that makes it.
 */
const FOLDER = 'cloudformation';
const sources = readdirSync(FOLDER)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(join(FOLDER, file), 'utf8') }));
const layerFiles = sources.filter(({ text }) => /^export function \w+Layer\(/m.test(text)).map(({ file }) => file);
const localImports = (text: string) => [...text.matchAll(/from '\.\/([\w-]+)\.js'/g)].map(([, name]) => `${String(name)}.ts`);

test('only template.ts imports the layers: every other file gets what it needs through its input', (t) => {
  t.true(layerFiles.length >= 12, `layers found: ${layerFiles.join(', ')}`);
  for (const { file, text } of sources.filter(({ file }) => file !== 'template.ts')) {
    t.deepEqual(
      localImports(text).filter((imported) => layerFiles.includes(imported)),
      [],
      `${file} imports another layer`,
    );
  }
  t.deepEqual(
    layerFiles.filter((layer) => !localImports(sources.find(({ file }) => file === 'template.ts')?.text ?? '').includes(layer)),
    [],
    'and template.ts composes every layer',
  );
});

test('no exported one- or two-letter registries: every name cloudformation/ exports says what it holds', (t) => {
  // cloudform.ts hands on cloudform's own names (Fn, EC2, …).
  const exported = sources
    .filter(({ file }) => file !== 'cloudform.ts')
    .flatMap(({ file, text }) =>
      [...text.matchAll(/^export (?:const|let|function|class|interface|type|enum) (\w+)/gm)].map(([, name]) => `${file}: ${String(name)}`),
    );
  t.true(exported.length > 30);
  t.deepEqual(
    exported.filter((entry) => (entry.split(': ')[1] ?? '').length <= 2),
    [],
  );
});
