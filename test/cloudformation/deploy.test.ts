import test from 'ava';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { INLINE_TEMPLATE_LIMIT } from './support/deploy-limits.js';

const SCRIPT = resolve('scripts/deploy.sh');
const IMAGE = '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/spaceout-crowd:1.0.0';

/** Runs deploy.sh with a stand-in `aws` first on PATH that records its arguments, one per line. */
function deploy(args: string[]) {
  const directory = mkdtempSync(join(tmpdir(), 'deploy-test-'));
  const record = join(directory, 'aws-args');
  const aws = join(directory, 'aws');
  writeFileSync(
    aws,
    `#!/usr/bin/env bash\nprintf '%s\\n' "$@" > '${record}'\ncp "$4" '${join(directory, 'template-sent.json')}' 2>/dev/null || true\n`,
  );
  chmodSync(aws, 0o755);
  const result = spawnSync('bash', [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${directory}:${process.env['PATH'] ?? ''}` },
  });
  const awsArgs = (() => {
    try {
      return readFileSync(record, 'utf8').trimEnd().split('\n');
    } catch {
      return null;
    }
  })();
  return { ...result, awsArgs, directory };
}

function bigTemplate(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'deploy-big-')), 'big.json');
  writeFileSync(file, JSON.stringify({ Description: 'x'.repeat(INLINE_TEMPLATE_LIMIT + 1), Resources: {} }));
  return file;
}

test('a deploy synthesises the template and passes stack, capabilities, bucket and image to aws cloudformation deploy', (t) => {
  const run = deploy([
    '--stack-name',
    'crowd-test',
    '--image',
    IMAGE,
    '--region',
    'ap-southeast-1',
    '--s3-bucket',
    'my-artifacts',
    '--parameter-overrides',
    'LoadBalancerType=ALB',
    'MinTasks=3',
  ]);
  t.is(run.status, 0, run.stderr);
  const args = run.awsArgs ?? [];
  t.deepEqual(args.slice(0, 2), ['cloudformation', 'deploy']);
  t.is(args[args.indexOf('--stack-name') + 1], 'crowd-test');
  t.is(args[args.indexOf('--region') + 1], 'ap-southeast-1');
  // CAPABILITY_IAM only: the template names none of its IAM resources (template-structure.test.ts).
  t.deepEqual(args.slice(args.indexOf('--capabilities') + 1, args.indexOf('--capabilities') + 3), [
    'CAPABILITY_IAM',
    '--no-fail-on-empty-changeset',
  ]);
  t.deepEqual(args.slice(args.indexOf('--parameter-overrides') + 1), [`ImageUri=${IMAGE}`, 'LoadBalancerType=ALB', 'MinTasks=3']);
  t.is(args[args.indexOf('--s3-bucket') + 1], 'my-artifacts', 'the compact template is over the inline limit');
  const sent = JSON.parse(readFileSync(join(run.directory, 'template-sent.json'), 'utf8')) as { Resources: object };
  t.true('ApiService' in sent.Resources);
});

test('a template over the inline limit is uploaded through the given bucket', (t) => {
  const run = deploy(['--stack-name', 'crowd-test', '--image', IMAGE, '--template-file', bigTemplate(), '--s3-bucket', 'my-artifacts']);
  t.is(run.status, 0, run.stderr);
  t.is(run.awsArgs?.[run.awsArgs.indexOf('--s3-bucket') + 1], 'my-artifacts');
});

test('a template over the inline limit without a bucket stops with a clear message and no aws call', (t) => {
  const run = deploy(['--stack-name', 'crowd-test', '--image', IMAGE, '--template-file', bigTemplate()]);
  t.is(run.status, 2);
  t.regex(run.stderr, /over CloudFormation's 51200-byte inline limit: give --s3-bucket/);
  t.is(run.awsArgs, null);
});

test('missing or malformed arguments stop with a usage message and no aws call', (t) => {
  const cases: Array<[string[], RegExp]> = [
    [['--image', IMAGE], /--stack-name is required/],
    [['--stack-name', 'crowd-test'], /--image is required/],
    [['--stack-name', 'crowd-test', '--image'], /--image needs a value/],
    [['--stack-name', '1bad_name', '--image', IMAGE], /must start with a letter/],
    [['--stack-name', 'crowd-test', '--image', IMAGE, '--parameter-overrides', 'oops'], /is not KEY=VALUE/],
    [['--stack-name', 'crowd-test', '--image', IMAGE, '--bogus'], /unknown argument '--bogus'/],
  ];
  for (const [args, message] of cases) {
    const run = deploy(args);
    t.is(run.status, 2, args.join(' '));
    t.regex(run.stderr, message);
    t.regex(run.stderr, /usage: npm run deploy --/);
    t.is(run.awsArgs, null);
  }
});
