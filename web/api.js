// @ts-check
/** @template T @typedef {import('./api-types').List<T>} List */

/**
 * The last answer to each URL with its ETag: asking again costs a 304 when nothing changed.
 * @type {Map<string, { etag: string, body: unknown }>}
 */
const remembered = new Map();
const REMEMBERED_MAX = 200;

export class ApiError extends Error {
  /**
   * @param {string} url
   * @param {number} status
   * @param {string} detail
   */
  constructor(url, status, detail) {
    super(`${url}: ${status} ${detail}`);
    this.status = status;
  }
}

/**
 * GETs JSON, revalidating the answer this page already has.
 * @template T
 * @param {string} url
 * @returns {Promise<{ body: T, changed: boolean }>}
 */
export async function getJson(url) {
  const previous = remembered.get(url);
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (previous !== undefined) headers['If-None-Match'] = previous.etag;
  // no-store: the browser's cache would hide the 304 and answer for the server.
  const response = await fetch(url, { headers, cache: 'no-store' });
  if (response.status === 304 && previous !== undefined) return { body: /** @type {T} */ (previous.body), changed: false };
  if (!response.ok) throw new ApiError(url, response.status, await problemDetail(response));
  /** @type {unknown} */
  const body = await response.json();
  const etag = response.headers.get('ETag');
  remembered.delete(url);
  if (etag !== null) remembered.set(url, { etag, body });
  const oldest = remembered.keys().next().value;
  if (remembered.size > REMEMBERED_MAX && oldest !== undefined) remembered.delete(oldest);
  return { body: /** @type {T} */ (body), changed: true };
}

/**
 * Every item of a paged list.
 * @template T
 * @param {string} url
 * @returns {Promise<{ items: T[], changed: boolean }>}
 */
export async function getAllPages(url) {
  /** @type {T[]} */
  const items = [];
  let changed = false;
  /** @type {string | null} */
  let cursor = null;
  do {
    const pageUrl = cursor === null ? url : `${url}${url.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
    /** @type {{ body: List<T>, changed: boolean }} */
    const page = await getJson(pageUrl);
    items.push(...page.body.items);
    changed ||= page.changed;
    cursor = page.body.nextCursor;
  } while (cursor !== null);
  return { items, changed };
}

/** @param {Response} response */
async function problemDetail(response) {
  try {
    /** @type {unknown} */
    const problem = await response.json();
    return typeof problem === 'object' && problem !== null && 'detail' in problem && typeof problem.detail === 'string'
      ? problem.detail
      : response.statusText;
  } catch {
    return response.statusText;
  }
}
