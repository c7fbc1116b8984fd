import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Json, TemplateJson } from './support/resolve-template.js';
import { resolvedVariants } from './support/synthesized.js';

const require = createRequire(import.meta.url);
const cfnLint = require('cfn-lint') as {
  /** Resets the validator's module state itself before each run (lib/api.js). */
  validateJsonObject(template: unknown, options?: object): { errors: Record<'crit' | 'warn' | 'info', Array<{ resource: string; message: string }>> };
};
const specification = require('cfn-lint/data/aws_resources_specification.json') as { ResourceTypes: Record<string, unknown> };
const EXCEPTIONS = JSON.parse(readFileSync('cloudformation/cfn-lint-exceptions.json', 'utf8')) as {
  resourceTypes: Record<string, string>;
  properties: Record<string, string>;
};

/**
 * cfn-lint 1.9.7 knows neither Fn::And nor the resource types newer than its specification,
 * and stops resolving references when it meets one. So it lints each resolved variant, with
 * Ref / GetAtt / Sub of the unknown types replaced by placeholders.
 */
function withPlaceholders(template: TemplateJson): Json {
  const unknown = new Set(Object.entries(template.Resources).filter(([, r]) => !(r.Type in specification.ResourceTypes)).map(([id]) => id));
  const replace = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(replace);
    if (node === null || typeof node !== 'object') return node;
    const ref = node['Ref'];
    if (typeof ref === 'string' && unknown.has(ref)) return `placeholder-${ref}`;
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && unknown.has(String(getAtt[0]))) return `arn:aws:placeholder:ap-southeast-1:123456789012:${String(getAtt[0])}`;
    const sub = node['Fn::Sub'];
    if (typeof sub === 'string') {
      return { 'Fn::Sub': sub.replace(/\$\{([A-Za-z0-9]+)(\.[A-Za-z]+)?\}/g, (whole, id: string) => (unknown.has(id) ? `placeholder-${id}` : whole)) };
    }
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value)]));
  };
  return replace(template as unknown as Json);
}

/** `Resources > ApiService > Properties > DeploymentConfiguration > X` → `AWS::ECS::Service.DeploymentConfiguration.X`. */
function exceptionKey(template: TemplateJson, error: { resource: string; message: string }): string | null {
  const [section, id, properties, ...path] = error.resource.split(' > ');
  const type = section === 'Resources' && id !== undefined ? template.Resources[id]?.Type : undefined;
  if (type === undefined) return null;
  if (properties === undefined) return /invalid Type/.test(error.message) ? type : null;
  if (/is not a valid property/.test(error.message)) return [type, ...path.filter((part) => !/^\d+$/.test(part))].join('.');
  return null;
}

const findings = resolvedVariants().flatMap(({ name, template }) => {
  const result = cfnLint.validateJsonObject(withPlaceholders(template), { parameters: {} });
  return [...result.errors.crit, ...result.errors.warn].map((error) => ({ variant: name, error, key: exceptionKey(template, error) }));
});

const allowed = (key: string | null) => key !== null && (key in EXCEPTIONS.resourceTypes || key in EXCEPTIONS.properties);

test('cfn-lint finds nothing but the types and properties newer than its specification', (t) => {
  const unexpected = findings.filter((finding) => !allowed(finding.key));
  t.deepEqual(unexpected.map((f) => `${f.variant}: ${f.error.resource}: ${f.error.message}`), []);
});

test('every cfn-lint exception is still needed', (t) => {
  const used = new Set(findings.map((finding) => finding.key));
  const stale = [...Object.keys(EXCEPTIONS.resourceTypes), ...Object.keys(EXCEPTIONS.properties)].filter((key) => !used.has(key));
  t.deepEqual(stale, [], 'remove these from cloudformation/cfn-lint-exceptions.json');
});
