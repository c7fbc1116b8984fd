import { Fn, Logs, Refs } from './cloudform.js';
import type { IntrinsicFunction, ResourceBase as Resource } from './cloudform.js';
import { onRemoval } from './removal-policy.js';
import type { ResourceHandle } from './resource-handle.js';

/** The first eight hex digits of the stack's id: two stacks of the same name never share them. */
const stackIdPrefix = Fn.Select(0, Fn.Split('-', Fn.Select(2, Fn.Split('/', Refs.StackId))));

/** What every log group of the stack is kept and encrypted with. */
export interface LogGroupSettings {
  /** Ref of the LogRetentionDays parameter. */
  readonly retentionDays: IntrinsicFunction;
  readonly key: ResourceHandle<'Arn'>;
}

/**
 * A log group with the stack's retention and key, named `<prefix>-<stack id prefix>`.
 *
 * Retained when the stack is deleted or a create rolls back: the logs of a create that failed
 * (a task that crashed and tripped the circuit breaker) are what explains the failure, and
 * retention still bounds what they cost. The stack id in the name keeps a re-created stack of
 * the same name from colliding with the groups its predecessor left.
 */
export function logGroup(prefix: string, settings: LogGroupSettings): Resource {
  return onRemoval(
    'Retain',
    new Logs.LogGroup({
      LogGroupName: Fn.Sub(`${prefix}-\${StackIdPrefix}`, { StackIdPrefix: stackIdPrefix }),
      RetentionInDays: settings.retentionDays,
      KmsKeyId: settings.key.getAtt('Arn'),
    }),
  );
}
