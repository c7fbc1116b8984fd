import { Fn } from './cloudform.js';
import type { Condition, IntrinsicFunction } from './cloudform.js';
import { stackParameters } from './parameters.js';

const { LoadBalancerType, CertificateArn, ReplicaRegion, SpaceoutUrl, EnableJumpHost, JumpHostKeyName, AlarmEmail } = stackParameters;
const isEmpty = (parameter: IntrinsicFunction) => Fn.Equals(parameter, '');

/** The Conditions section, keyed by each condition's name. */
export const conditions = {
  IsApplicationLoadBalancer: Fn.Equals(LoadBalancerType, 'ALB'),
  HasCertificate: Fn.Not(isEmpty(CertificateArn)),
  IsApplicationLoadBalancerWithCertificate: Fn.And([Fn.Equals(LoadBalancerType, 'ALB'), Fn.Not(isEmpty(CertificateArn))]),
  // Port 80 only where it cannot carry secrets in the clear: without TLS at all, or on an ALB that redirects it.
  ServesPlainHttp: Fn.Or([isEmpty(CertificateArn), Fn.Equals(LoadBalancerType, 'ALB')]),
  HasReplicaRegion: Fn.Not(isEmpty(ReplicaRegion)),
  HasNoReplicaRegion: isEmpty(ReplicaRegion),
  HasSpaceoutUrl: Fn.Not(isEmpty(SpaceoutUrl)),
  JumpHostEnabled: Fn.Equals(EnableJumpHost, 'true'),
  HasJumpHostKeyName: Fn.Not(isEmpty(JumpHostKeyName)),
  HasAlarmEmail: Fn.Not(isEmpty(AlarmEmail)),
} satisfies Record<string, Condition>;

export type ConditionName = keyof typeof conditions;

/**
 * Every condition as a layer names it (in Fn::If and a resource's Condition). A layer's input
 * picks the ones it depends on (`Pick<StackConditions, 'HasCertificate'>`).
 */
export type StackConditions = { readonly [Name in ConditionName]: Name };

export const stackConditions = Object.fromEntries(Object.keys(conditions).map((name) => [name, name])) as StackConditions;
