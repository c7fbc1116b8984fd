/** An upstream value as JSON text for a message, cut to 80 characters. */
export function quoted(value: unknown): string {
  // JSON.stringify gives undefined for undefined (and functions), whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  return (json ?? String(value)).slice(0, 80);
}
