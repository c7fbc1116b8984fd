/** The key the site's own front end ships: SPACEOUT_KEY's default, and the simulator's. */
export const SPACEOUT_SITE_KEY = 'pyRYtDWQLu83RaPCNZudQdW4WbtDdF6q';

/** AES-256 takes a key of exactly 32 bytes; the site's is 32 ASCII characters. */
export const KEY_BYTES = 32;

/** What a key for the facility list's cipher should have been, when it is not ("expected …" in a message naming where it came from); null when it is fine. */
export function keySizeProblem(key: string): string | null {
  const bytes = Buffer.byteLength(key, 'utf8');
  return bytes === KEY_BYTES ? null : `exactly ${KEY_BYTES} bytes for AES-256, got ${bytes}`;
}

/** A key of the wrong size is a settings mistake, not an upstream fault: throws a RangeError naming the setting. */
export function checkKeySize(key: string, name: string): void {
  const problem = keySizeProblem(key);
  if (problem !== null) throw new RangeError(`${name} is invalid: expected ${problem}`);
}
