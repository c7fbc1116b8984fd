import test from 'ava';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolvedVariants } from './support/synthesized.js';

const PACKAGE = resolve('node_modules/@cdklabs/cdk-validator-cfnguard');
const RULES = join(PACKAGE, 'rules/control-tower/cfn-guard');
const EXCEPTIONS: Record<string, string> = JSON.parse(readFileSync('cloudformation/control-tower-exceptions.json', 'utf8'));

/** Rule folders of the services the template uses (Control Tower ships none for Events, Scheduler, SNS or Application Auto Scaling). */
const SERVICES = [
  'ec2',
  'ecs',
  'elasticloadbalancing',
  'dynamodb',
  'identityandaccessmanagement',
  'cloudwatch',
  'keymanagementservice',
  'sqs',
];

/** The binary the package ships; copied and made executable when npm left it without its exec bit. */
function guardBinary(): string {
  if (platform() !== 'linux' || arch() !== 'x64')
    throw new Error(`this check runs the linux x64 cfn-guard; this is ${platform()} ${arch()}`);
  const shipped = join(PACKAGE, 'bin/ubuntu/x86_64/cfn-guard');
  try {
    accessSync(shipped, constants.X_OK);
    return shipped;
  } catch {
    const copy = join(mkdtempSync(join(tmpdir(), 'cfn-guard-')), 'cfn-guard');
    copyFileSync(shipped, copy);
    chmodSync(copy, 0o755);
    return copy;
  }
}

interface GuardFailure {
  readonly variant: string;
  readonly rule: string;
  readonly detail: string;
}

/** `CT.ECS.PR.7` in a message → `ct-ecs-pr-7`, the rule file name the exceptions use. */
function ruleIds(notCompliant: unknown): string[] {
  const ids = JSON.stringify(notCompliant).match(/CT\.[A-Z0-9]+\.PR\.\d+/g) ?? [];
  return [...new Set(ids.map((id) => id.toLowerCase().replace(/\./g, '-')))];
}

function runGuard(): GuardFailure[] {
  const directory = mkdtempSync(join(tmpdir(), 'ct-templates-'));
  const variants = resolvedVariants().map((variant, index) => {
    const file = join(directory, `variant-${index}.json`);
    writeFileSync(file, JSON.stringify(variant.template));
    return { ...variant, file };
  });
  // The same flags the package's own validator uses (lib/plugin.js).
  const result = spawnSync(
    guardBinary(),
    [
      'validate',
      ...SERVICES.flatMap((service) => ['--rules', join(RULES, service)]),
      ...variants.flatMap((variant) => ['--data', variant.file]),
      '--output-format',
      'json',
      '--show-summary',
      'none',
      '--structured',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  // 0: all pass; 19 (or 5): some rules failed. Anything else: guard itself failed.
  if (![0, 5, 19].includes(result.status ?? -1)) throw new Error(`cfn-guard exited ${result.status}: ${result.stderr}`);
  const reports = JSON.parse(result.stdout) as Array<{ name: string; not_compliant?: unknown[] }>;
  return reports.flatMap((report) => {
    const variant = variants.find((v) => v.file === report.name)?.name ?? report.name;
    return (report.not_compliant ?? []).flatMap((check) =>
      ruleIds(check).map((rule) => ({ variant, rule, detail: JSON.stringify(check).slice(0, 300) })),
    );
  });
}

const failures = runGuard();

test('the rule folders of every service the template uses exist', (t) => {
  const folders = readdirSync(RULES);
  for (const service of SERVICES) t.true(folders.includes(service), service);
});

test('every Control Tower proactive control passes, or is a listed exception', (t) => {
  const unlisted = failures.filter((failure) => !(failure.rule in EXCEPTIONS));
  t.deepEqual(
    unlisted.map((f) => `${f.rule} (${f.variant}): ${f.detail}`),
    [],
    'fix the template, or add the rule to cloudformation/control-tower-exceptions.json with the reason it cannot apply',
  );
});

test('every listed exception still fails in some variant', (t) => {
  const failing = new Set(failures.map((failure) => failure.rule));
  const stale = Object.keys(EXCEPTIONS).filter((rule) => !failing.has(rule));
  t.deepEqual(stale, [], 'these rules now pass: remove them from cloudformation/control-tower-exceptions.json');
});
