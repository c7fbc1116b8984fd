import { Fn, IntrinsicFunction } from './cloudform.js';

/** Fn::Sub without a variable map (cloudform's Fn.Sub always emits one, even empty). */
export function sub(template: string): IntrinsicFunction {
  return new IntrinsicFunction('Fn::Sub', template);
}

/**
 * Fn::If typed as the value it yields: cloudform types it as a condition function, which
 * its property types do not accept inside lists and objects.
 */
export function when<T>(condition: string, whenTrue: T, whenFalse: T | IntrinsicFunction): T {
  return Fn.If(condition, whenTrue, whenFalse) as unknown as T;
}
