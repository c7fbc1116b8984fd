import type { ResourceBase } from './cloudform.js';

/**
 * What CloudFormation does with a stateful resource when the stack is deleted (or a create
 * rolls back) and when an update replaces it: the same either way. Every caller says why
 * in a comment. (cloudform's Resource type predates UpdateReplacePolicy.)
 */
export function onRemoval<T extends ResourceBase>(policy: 'Retain' | 'Delete', resource: T): T {
  return Object.assign(resource, { DeletionPolicy: policy, UpdateReplacePolicy: policy });
}
