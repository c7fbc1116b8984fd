import { performance } from 'node:perf_hooks';

/** The nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** Times `paths` requested one after another (after one warm-up each), refusing any non-2xx. */
export async function timeRequests(url: string, paths: readonly string[], times: number): Promise<number[]> {
  for (const path of new Set(paths)) await fetch(`${url}${path}`).then((r) => r.arrayBuffer());
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const path = paths[i % paths.length];
    if (path === undefined) throw new RangeError('no paths to time');
    const started = performance.now();
    const response = await fetch(`${url}${path}`);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    durations.push(performance.now() - started);
  }
  return durations;
}

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}
