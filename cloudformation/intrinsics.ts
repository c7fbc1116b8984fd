import { Fn, IntrinsicFunction } from './cloudform.js';
import type { ResourceBase } from './cloudform.js';

/** Fn::Sub without a variable map (cloudform's Fn.Sub always emits one, even empty). */
export function sub(template: string): IntrinsicFunction {
  return new IntrinsicFunction('Fn::Sub', template);
}

export function nameTags(name: string): Array<{ Key: string; Value: IntrinsicFunction }> {
  return [{ Key: 'Name', Value: sub(`\${AWS::StackName}-${name}`) }];
}

/** The source a security group rule uses to allow nothing, so CloudFormation drops its default allow-all egress. */
export const NO_EGRESS = { CidrIp: '255.255.255.255/32', IpProtocol: 'icmp', FromPort: 252, ToPort: 86, Description: 'No egress' };

/**
 * Fn::If typed as the value it yields: cloudform types it as a condition function, which
 * its property types do not accept inside lists and objects.
 */
export function when<T>(condition: string, whenTrue: T, whenFalse: T | IntrinsicFunction): T {
  return Fn.If(condition, whenTrue, whenFalse) as unknown as T;
}

/**
 * What CloudFormation does with a stateful resource when the stack is deleted (or a create
 * rolls back) and when an update replaces it: the same either way. Every caller says why
 * in a comment. (cloudform's Resource type predates UpdateReplacePolicy.)
 */
export function onRemoval<T extends ResourceBase>(policy: 'Retain' | 'Delete', resource: T): T {
  return Object.assign(resource, { DeletionPolicy: policy, UpdateReplacePolicy: policy });
}
