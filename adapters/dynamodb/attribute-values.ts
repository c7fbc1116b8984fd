import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item as the low-level client reads and writes it: attribute name to typed value. */
export type Item = Record<string, AttributeValue>;

/** Plain values to attribute values and back; a missing attribute reads as '' or 0. */
export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const text = (item: Item, name: string): string => item[name]?.S ?? '';
export const num = (item: Item, name: string): number => Number(item[name]?.N ?? '0');
