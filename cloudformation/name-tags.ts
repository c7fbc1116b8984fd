import type { IntrinsicFunction } from './cloudform.js';
import { sub } from './intrinsics.js';

/** The `Name` tag the console shows: `<stack>-<name>`. */
export function nameTags(name: string): Array<{ Key: string; Value: IntrinsicFunction }> {
  return [{ Key: 'Name', Value: sub(`\${AWS::StackName}-${name}`) }];
}
