/**
 * Resolves a template's conditions for one set of parameter values, the way CloudFormation
 * does before creating anything: resources and outputs whose condition is false vanish,
 * Fn::If picks its branch, AWS::NoValue disappears, and Refs to parameters become their
 * values. Static checkers (cfn-guard) then see concrete values instead of Fn::If.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A template value as text: a string as it is, anything else as JSON (an intrinsic shows as itself, not "[object Object]"). */
export function textOf(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
export type TemplateJson = { [key: string]: Json } & {
  Parameters: Record<string, { Default?: Json; Type: string; AllowedPattern?: string; AllowedValues?: Json[]; MinValue?: number }>;
  Conditions?: Record<string, Json>;
  Resources: Record<string, { Type: string; Condition?: string; Properties?: Record<string, Json>; [key: string]: Json | undefined }>;
  Outputs?: Record<string, { Condition?: string; Value: Json }>;
  Mappings?: Record<string, Record<string, Record<string, Json>>>;
};

const NO_VALUE = Symbol('AWS::NoValue');

export function parameterValues(template: TemplateJson, overrides: Record<string, string>): Record<string, Json> {
  const values: Record<string, Json> = {};
  for (const [name, parameter] of Object.entries(template.Parameters)) {
    const value = overrides[name] ?? parameter.Default;
    if (value === undefined) throw new Error(`parameter ${name} has no default: give it a value`);
    values[name] = value;
  }
  return values;
}

export function resolveTemplate(template: TemplateJson, overrides: Record<string, string>): TemplateJson {
  const values = parameterValues(template, overrides);
  const conditionCache = new Map<string, boolean>();
  const conditionValue = (name: string): boolean => {
    const cached = conditionCache.get(name);
    if (cached !== undefined) return cached;
    const definition = template.Conditions?.[name];
    if (definition === undefined) throw new Error(`unknown condition ${name}`);
    const result = evaluate(definition);
    conditionCache.set(name, result);
    return result;
  };
  const scalar = (node: Json): Json => {
    const resolved = resolve(node);
    if (resolved === NO_VALUE) throw new Error('AWS::NoValue inside a condition');
    return resolved;
  };
  const evaluate = (node: Json): boolean => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new Error(`not a condition: ${JSON.stringify(node)}`);
    const [fn, args] = Object.entries(node)[0] as [string, Json];
    const list = args as Json[];
    switch (fn) {
      case 'Fn::Equals':
        return textOf(scalar(list[0] as Json)) === textOf(scalar(list[1] as Json));
      case 'Fn::Not':
        return !evaluate(list[0] as Json);
      case 'Fn::And':
        return list.every(evaluate);
      case 'Fn::Or':
        return list.some(evaluate);
      case 'Condition':
        return conditionValue(args as string);
      default:
        throw new Error(`unsupported condition function ${fn}`);
    }
  };
  const resolve = (node: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(node)) return node.map(resolve).filter((item): item is Json => item !== NO_VALUE);
    if (node === null || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref') {
      const name = node['Ref'] as string;
      if (name === 'AWS::NoValue') return NO_VALUE;
      if (name in values) return values[name] as Json;
      return node;
    }
    if (keys.length === 1 && keys[0] === 'Fn::FindInMap') {
      const [map, top, second] = (node['Fn::FindInMap'] as Json[]).map(scalar) as [string, string, string];
      const found = template.Mappings?.[map]?.[top]?.[second];
      if (found === undefined) throw new Error(`no mapping ${map}.${top}.${second}`);
      return found;
    }
    if (keys.length === 1 && keys[0] === 'Fn::If') {
      const [condition, whenTrue, whenFalse] = node['Fn::If'] as [string, Json, Json];
      return resolve(conditionValue(condition) ? whenTrue : whenFalse);
    }
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) {
      const resolved = resolve(value);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  };

  const resources: TemplateJson['Resources'] = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && !conditionValue(resource.Condition)) continue;
    const { Condition: _condition, ...rest } = resource;
    resources[id] = resolve(rest as Json) as TemplateJson['Resources'][string];
  }
  const outputs: NonNullable<TemplateJson['Outputs']> = {};
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    if (output.Condition !== undefined && !conditionValue(output.Condition)) continue;
    const { Condition: _condition, ...rest } = output;
    outputs[id] = resolve(rest) as NonNullable<TemplateJson['Outputs']>[string];
  }
  const { Conditions: _conditions, Rules: _rules, ...head } = template;
  return { ...head, Resources: resources, Outputs: outputs } as TemplateJson;
}

const CERTIFICATE_ARN = 'arn:aws:acm:ap-southeast-1:123456789012:certificate/0f7e3a52-5e0c-4d5a-9f62-3c1f2f8f1e77';

/** The parameter combinations every check runs on: each condition both ways at least once. */
export const VARIANTS: ReadonlyArray<{ name: string; parameters: Record<string, string> }> = [
  { name: 'NLB (defaults: HTTP only, regional table, no jump host)', parameters: {} },
  {
    name: 'NLB with TLS',
    parameters: { CertificateArn: CERTIFICATE_ARN, SpaceoutUrl: 'https://upstream.example/graphql', AlarmEmail: 'on-call@example.com' },
  },
  { name: 'ALB, HTTP only', parameters: { LoadBalancerType: 'ALB' } },
  {
    name: 'ALB with HTTPS, global table, jump hosts',
    parameters: {
      LoadBalancerType: 'ALB',
      CertificateArn: CERTIFICATE_ARN,
      ReplicaRegion: 'ap-southeast-2',
      EnableJumpHost: 'true',
      JumpHostSshCidr: '203.0.113.0/24',
      JumpHostAmiId: 'ami-0123456789abcdef0',
      JumpHostKeyName: 'ops',
    },
  },
];

/** ImageUri has no default on purpose; the checks use this one. */
export const CHECK_IMAGE_URI = '123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/spaceout-crowd:1.0.0';
