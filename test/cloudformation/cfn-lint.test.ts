import test from 'ava';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { synthesize } from '../../cloudformation/template.js';
import { CHECK_IMAGE_URI, VARIANTS } from './support/resolve-template.js';

/**
 * The real cfn-lint (the Python project, `pip install cfn-lint`), which knows every current
 * resource type and property. It resolves the template's conditions itself from the
 * parameters it is given, so it lints the synthesised template once per variant.
 */
const CFN_LINT = 'cfn-lint';
const MINIMUM_VERSION = [1, 51] as const;
const EXCEPTIONS: Record<string, string> = JSON.parse(readFileSync('cloudformation/cfn-lint-exceptions.json', 'utf8'));
delete EXCEPTIONS['$comment'];

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: string;
  readonly Message: string;
  readonly Location: { readonly Path: ReadonlyArray<string | number> };
}

/** Why the lint cannot run here, or null when a recent enough cfn-lint is on PATH. */
function missingReason(): string | null {
  const probe = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) return `${CFN_LINT} is not on PATH (pip install cfn-lint)`;
  const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(probe.stdout)?.slice(1) ?? []).map(Number);
  const [wantMajor, wantMinor] = MINIMUM_VERSION;
  if (major < wantMajor || (major === wantMajor && minor < wantMinor))
    return `${probe.stdout.trim()} is older than ${wantMajor}.${wantMinor}`;
  return null;
}

async function lint(file: string, parameters: Record<string, string>): Promise<Finding[]> {
  const values = Object.entries({ ImageUri: CHECK_IMAGE_URI, ...parameters }).map(([key, value]) => `${key}=${value}`);
  // -c I adds the informational rules, among them I3011 (stateful resources without an explicit DeletionPolicy).
  const args = ['-c', 'I', '--format', 'json', '--regions', 'ap-southeast-1', '--parameters', ...values, '--', file];
  try {
    const { stdout } = await promisify(execFile)(CFN_LINT, args, { maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as Finding[];
  } catch (error) {
    // cfn-lint exits non-zero when it finds something; its findings are still on stdout.
    const stdout = (error as { stdout?: string }).stdout ?? '';
    if (stdout.trim().startsWith('[')) return JSON.parse(stdout) as Finding[];
    throw error;
  }
}

const key = (finding: Finding) => `${finding.Rule.Id} ${finding.Location.Path.join('/')}`;
const exceptionFor = (finding: Finding) =>
  Object.keys(EXCEPTIONS).find((exception) => {
    const [rule, path = ''] = exception.split(' ');
    return finding.Rule.Id === rule && finding.Location.Path.join('/').startsWith(path);
  });

const missing = missingReason();

if (missing !== null) {
  console.log(`Skipping cfn-lint: ${missing}`);
  test.skip(`cfn-lint on every variant (${missing})`, () => {});
} else {
  const file = join(mkdtempSync(join(tmpdir(), 'cfn-lint-')), 'template.json');
  writeFileSync(file, synthesize());
  const findings = Promise.all(
    VARIANTS.map(async (variant) => ({ variant: variant.name, findings: await lint(file, variant.parameters) })),
  );

  test('cfn-lint finds no error, warning or informational finding in any variant beyond the listed exceptions', async (t) => {
    t.log(spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' }).stdout.trim());
    const unexpected = (await findings).flatMap(({ variant, findings: found }) =>
      found.filter((finding) => exceptionFor(finding) === undefined).map((finding) => `${variant}: ${key(finding)}: ${finding.Message}`),
    );
    t.deepEqual(unexpected, [], 'fix the template, or list the finding with its reason in cloudformation/cfn-lint-exceptions.json');
  });

  test('every cfn-lint exception is still needed', async (t) => {
    const used = new Set((await findings).flatMap(({ findings: found }) => found.map(exceptionFor)));
    t.deepEqual(
      Object.keys(EXCEPTIONS).filter((exception) => !used.has(exception)),
      [],
      'remove these from cloudformation/cfn-lint-exceptions.json',
    );
  });

  test('cfn-lint really lints: a template with a misspelt property fails', async (t) => {
    const broken = JSON.parse(synthesize()) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    const cluster = broken.Resources['Cluster']!.Properties;
    cluster['ClusterSetings'] = cluster['ClusterSettings'];
    const brokenFile = join(mkdtempSync(join(tmpdir(), 'cfn-lint-')), 'broken.json');
    writeFileSync(brokenFile, JSON.stringify(broken));
    const found = await lint(brokenFile, {});
    t.true(
      found.some((finding) => finding.Level === 'Error' && key(finding).startsWith('E3002 Resources/Cluster/Properties')),
      JSON.stringify(found.map(key)),
    );
  });
}
