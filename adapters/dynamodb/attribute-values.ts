import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item as the low-level client reads and writes it: attribute name to typed value. */
export type Item = Record<string, AttributeValue>;

/** Plain values to attribute values and back; a missing attribute reads as '' or 0. */
export const s = (value: string): AttributeValue => ({ S: value });
export const n = (value: number): AttributeValue => ({ N: String(value) });
export const text = (item: Item, name: string): string => item[name]?.S ?? '';
export const num = (item: Item, name: string): number => Number(item[name]?.N ?? '0');

/** JSON text back with the values of the named fields (ISO 8601 instants) as Dates. */
export function parseWithDates(json: string, dateFields: ReadonlySet<string>): unknown {
  return JSON.parse(json, (key, value: unknown) => (dateFields.has(key) && typeof value === 'string' ? new Date(value) : value)) as unknown;
}
