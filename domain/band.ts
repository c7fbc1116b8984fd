import { fail, ok, type Result } from './result.js';

/** SpaceOut's crowd band: 0 is the emptiest, 2 and above is crowded, 3 the most crowded. */
export type Band = 0 | 1 | 2 | 3;

export const BAND_LABELS: Readonly<Record<Band, string>> = {
  0: 'not crowded',
  1: 'moderately crowded',
  2: 'crowded',
  3: 'very crowded',
};

export function bandOf(value: unknown): Result<Band> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 3) {
    return fail(`band must be an integer from 0 to 3, got ${JSON.stringify(value)}`);
  }
  return ok(value as Band);
}

export function bandLabel(band: Band): string {
  return BAND_LABELS[band];
}
