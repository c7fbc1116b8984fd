/** How long one answer of the store serves /ready. */
export const READINESS_CACHE_MS = 5_000;

/**
 * The store check behind /ready, run at most once per `ttlMs`: probes in between get the last
 * answer (success or failure) and probes that arrive together share one call. Readiness probes
 * (a load balancer, Kubernetes, a person with curl) then cost the store one request per
 * `ttlMs`, whatever their number.
 */
export function cachedReadiness(
  check: () => Promise<void>,
  ttlMs: number = READINESS_CACHE_MS,
  now: () => number = Date.now,
): () => Promise<void> {
  let last: { readonly answer: Promise<void>; readonly askedAt: number } | undefined;
  return () => {
    const time = now();
    if (last === undefined || time - last.askedAt >= ttlMs) last = { answer: check(), askedAt: time };
    return last.answer;
  };
}
