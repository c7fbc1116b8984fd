import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { POLL_ONCE_COMMAND } from '../../cloudformation/poller.js';
import { CONTAINER_USER } from '../../cloudformation/task-definition.js';

/**
 * No Docker engine runs here, so the Dockerfile is read, not built: one instruction per entry,
 * continuation lines joined, comments dropped.
 */
const instructions = readFileSync('Dockerfile', 'utf8')
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const stages = instructions.reduce<Array<typeof instructions>>((all, instruction) => {
  if (instruction.keyword === 'FROM') all.push([]);
  all.at(-1)?.push(instruction);
  return all;
}, []);
const runtime = stages.at(-1) ?? [];
const args = (keyword: string, stage = runtime) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

test('the build is multi-stage: compile with dev dependencies, run with production ones', (t) => {
  t.true(stages.length >= 2);
  const build = stages[0] ?? [];
  t.true(args('RUN', build).some((run) => /\bnpm ci\b/.test(run) && !/--omit=dev/.test(run)));
  t.true(args('RUN', build).some((run) => /\bnpm run build\b/.test(run)));
  t.true(args('RUN').some((run) => /\bnpm ci\b.*--omit=dev/.test(run)));
  t.true(args('COPY').some((copy) => /--from=build\s+\S*dist/.test(copy)));
});

test('the image is built from the layers of the service only: no tests, scripts or template code', (t) => {
  const copied = stages.flatMap((stage) => args('COPY', stage)).map((copy) => copy.split(/\s+/)[0]);
  for (const folder of ['test', 'scripts', 'cloudformation']) t.false(copied.includes(folder), `${folder} is copied`);
  t.true(args('RUN', stages[0] ?? []).some((run) => /\bnpm run build\b/.test(run)));
  t.regex(
    readFileSync(new URL('../../tsconfig.build.json', import.meta.url), 'utf8'),
    /"include": \["domain", "application", "adapters"\]/,
  );
});

test('the runtime image holds the web page beside the compiled code, since GET / serves it from there', (t) => {
  t.true(args('COPY').some((copy) => /^web\s+\.\/web$/.test(copy)));
  t.true(existsSync(new URL('../../web/index.html', import.meta.url)));
});

test('both stages run the same exact Node.js LTS release (22 or 24), never a moving tag', (t) => {
  const images = args('FROM', instructions).map((from) => from.split(/\s+/)[0] ?? '');
  t.is(images.length, 2);
  t.is(new Set(images).size, 1, images.join(', '));
  t.regex(images[0] ?? '', /^node:(22|24)\.\d+\.\d+-(bookworm|trixie)-slim$|^node:(22|24)[^@]*@sha256:[0-9a-f]{64}$/);
});

test('the runtime runs as the non-root user the task definition names', (t) => {
  const users = args('USER');
  t.is(users.length, 1);
  t.not(users[0], 'root');
  t.not(users[0], '0');
  t.is(users[0], 'node');
  t.is(CONTAINER_USER.split(':')[0], '1000', 'uid of the node user in the official images');
});

test('the runtime is production, listens on all interfaces and checks /health with node', (t) => {
  const env = args('ENV').join(' ');
  t.regex(env, /NODE_ENV=production/);
  t.regex(env, /HOST=0\.0\.0\.0/);
  t.notRegex(env, /DATA_DIR/);
  const [healthcheck = ''] = args('HEALTHCHECK');
  t.regex(healthcheck, /CMD \["node",/);
  t.regex(healthcheck, /\/health/);
});

test('the default command starts the API; the poller overrides it with poll-once', (t) => {
  t.deepEqual(JSON.parse(args('CMD').at(-1) ?? 'null'), ['node', 'dist/adapters/runtime/main.js']);
  t.deepEqual(POLL_ONCE_COMMAND, ['node', 'dist/adapters/runtime/poll-once.js']);
});

test('the build context leaves out node_modules, git and local data', (t) => {
  const ignored = readFileSync('.dockerignore', 'utf8')
    .split('\n')
    .map((line) => line.trim());
  for (const entry of ['node_modules', '.git', 'dist', 'data']) t.true(ignored.includes(entry), entry);
});
