import type { IncomingMessage, ServerResponse } from 'node:http';
import { preferredEncoding } from './middleware/representations.js';
import { MAX_QUERY_PARAMETERS, MAX_URL_LENGTH } from './middleware/request-limits.js';
import { requestIdFrom } from './middleware/request-id.js';
import type { RateLimiter } from './middleware/rate-limit.js';
import type { RequestTelemetry } from './middleware/request-telemetry.js';
import type { ResponseCache } from './response-cache.js';

export interface ReplayDependencies {
  readonly cache: ResponseCache;
  /** The route pattern of a cached path, null when the path is not cached. */
  readonly cachedRoute: (path: string) => string | null;
  readonly limiter: RateLimiter;
  readonly telemetry: RequestTelemetry;
  readonly isDraining?: () => boolean;
}

/**
 * Serves a hot read straight from the cache when the full middleware stack has already
 * answered it once: the same bytes under the headers that stack wrote, with a fresh request
 * id, counted by the same rate limiter and telemetry. It answers only the plain case (a GET
 * without Origin, conditional or body headers, within the limits, not draining) and returns
 * false for anything else, which the full stack then handles, errors included.
 */
export function replayCachedReads(deps: ReplayDependencies): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const started = process.hrtime.bigint();
    const url = request.url ?? '';
    const headers = request.headers;
    if (request.method !== 'GET' || url.length > MAX_URL_LENGTH || deps.isDraining?.() === true) return false;
    if (headers.origin !== undefined || headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) return false;
    if (headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const query = mark < 0 ? '' : url.slice(mark + 1);
    const route = deps.cachedRoute(path);
    if (route === null || query.split('&').length > MAX_QUERY_PARAMETERS) return false;
    const representation = deps.cache.peek(`${path}?${query}`);
    if (representation === undefined) return false;
    const encoding = preferredEncoding(headers['accept-encoding'] ?? '', representation.bytes.length);
    const head = representation.headFor(encoding);
    if (head === undefined) return false;
    // Over the limit: the full stack answers the 429 (the bucket is empty, so nothing more is spent).
    if (deps.limiter.take(request.socket.remoteAddress ?? '') > 0) return false;

    deps.cache.countHit();
    const requestId = requestIdFrom(headers['x-request-id'] as string | undefined);
    response.writeHead(200, { ...head, 'x-request-id': requestId });
    response.end(representation.in(encoding));
    deps.telemetry.record({ method: 'GET', route, status: 200, seconds: Number(process.hrtime.bigint() - started) / 1e9, requestId });
    return true;
  };
}
