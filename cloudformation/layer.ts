import type { ResourceBase as Resource } from './cloudform.js';

/**
 * What a layer builder returns, like a nested stack: its resources by logical id, and the
 * outputs (handles and values) that the layers after it take as inputs.
 */
export interface Layer<Outputs> {
  readonly resources: Record<string, Resource>;
  readonly outputs: Outputs;
}
