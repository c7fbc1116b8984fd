import { Fn } from './cloudform.js';
import type { IntrinsicFunction } from './cloudform.js';

/**
 * A resource as the layers after the one that made it see it: what a template may say about
 * another resource (Ref, Fn::GetAtt, a `${…}` variable of Fn::Sub, DependsOn), typed by the
 * attributes its type has. A layer makes the handles of its own resources and returns among
 * its outputs those the next layers need, so no layer spells another layer's logical ids.
 */
export class ResourceHandle<Attribute extends string = never> {
  constructor(readonly logicalId: string) {}

  /** Fn::Ref: the id, name or ARN, whichever the resource type returns. */
  get ref(): IntrinsicFunction {
    return Fn.Ref(this.logicalId);
  }

  getAtt(attribute: Attribute): IntrinsicFunction {
    return Fn.GetAtt(this.logicalId, attribute);
  }

  /** `${Id}` or `${Id.Attribute}`, inside the text of an Fn::Sub. */
  subVariable(attribute?: Attribute): string {
    return attribute === undefined ? `\${${this.logicalId}}` : `\${${this.logicalId}.${attribute}}`;
  }
}

/** The logical ids a DependsOn lists. */
export const logicalIds = (handles: readonly ResourceHandle<string>[]): string[] => handles.map((handle) => handle.logicalId);
