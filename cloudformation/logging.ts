import { Fn, Logs, Refs } from './cloudform.js';
import type { ResourceBase as Resource } from './cloudform.js';
import { onRemoval } from './intrinsics.js';
import { logsKeyArn } from './keys.js';
import { P } from './parameters.js';

/** The first eight hex digits of the stack's id: two stacks of the same name never share them. */
const stackIdPrefix = Fn.Select(0, Fn.Split('-', Fn.Select(2, Fn.Split('/', Refs.StackId))));

/**
 * A log group with the stack's retention and key, named `<prefix>-<stack id prefix>`.
 *
 * Retained when the stack is deleted or a create rolls back: the logs of a create that failed
 * (a task that crashed and tripped the circuit breaker) are what explains the failure, and
 * retention still bounds what they cost. The stack id in the name keeps a re-created stack of
 * the same name from colliding with the groups its predecessor left.
 */
export function logGroup(prefix: string): Resource {
  return onRemoval(
    'Retain',
    new Logs.LogGroup({
      LogGroupName: Fn.Sub(`${prefix}-\${StackIdPrefix}`, { StackIdPrefix: stackIdPrefix }),
      RetentionInDays: Fn.Ref(P.logRetentionDays),
      KmsKeyId: logsKeyArn,
    }),
  );
}
