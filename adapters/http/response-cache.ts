import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** One reply serialised once: its bytes, their ETag, and each compressed form once asked for. */
export class Representation {
  readonly etag: string;
  /** `storedAt` as an HTTP date, formatted once rather than per reply. */
  readonly lastModified: string;
  private readonly encoded = new Map<Encoding, Buffer>();

  constructor(
    readonly bytes: Buffer,
    readonly type: string,
    readonly storedAt: number,
  ) {
    // Weak: the same tag whatever the content coding, so 304s work across encodings.
    this.etag = `W/"${createHash('sha1').update(bytes).digest('base64url')}"`;
    this.lastModified = new Date(storedAt).toUTCString();
    this.encoded.set('identity', bytes);
  }

  in(encoding: Encoding): Buffer {
    let body = this.encoded.get(encoding);
    if (body === undefined) {
      body = encoding === 'br' ? brotliCompressSync(this.bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(this.bytes);
      this.encoded.set(encoding, body);
    }
    return body;
  }
}

/** Keeps a reply made for a key; see ResponseCache.fill. */
export type Keep = (bytes: Buffer, type: string) => Representation;

/**
 * Replies of the hot read routes by URL. A poll's completion empties it (in-process event), and
 * every entry also expires after `ttlMs`, so an instance that missed the event still converges.
 *
 * One reply per key is made at a time: requests that miss while it is being made wait for it
 * instead of each running the same query. Without that, every expiry and every poll would send
 * all the connections then open into the store at once.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Representation>();
  /** Replies being made now, by key; undefined when the reply turned out not to be cacheable. */
  private readonly fills = new Map<string, Promise<Representation | undefined>>();
  /** Bumped by invalidate(): a reply made from data read before it is not kept. */
  private generation = 0;
  private bytes = 0;
  /** Requests answered from a kept reply. */
  hits = 0;
  /** Requests answered from the reply another request was making. */
  joined = 0;
  /** Requests that made the reply themselves. */
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    /** Bounds by count and by bytes, oldest entry out first: per-venue replies are many but small. */
    private readonly maxEntries = 5_000,
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {}

  /** The fresh entry for the key, if any; counted as a hit. */
  get(key: string): Representation | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.now() - entry.storedAt < this.ttlMs) {
      this.hits++;
      return entry;
    }
    if (entry !== undefined) this.remove(key, entry);
    return undefined;
  }

  /** The reply another request is making for the key since the last invalidation, if any; counted as joined. */
  inProgress(key: string): Promise<Representation | undefined> | undefined {
    const fill = this.fills.get(key);
    if (fill !== undefined) this.joined++;
    return fill;
  }

  /**
   * Makes the reply for the key: `make` runs the route and hands what it made to `keep`, which
   * stores it unless the cache was invalidated since `fill` began (the data it read may be
   * older than the poll). Until `make` settles, inProgress(key) returns what it made.
   */
  fill(key: string, make: (keep: Keep) => Promise<Representation | undefined>): Promise<void> {
    this.misses++;
    const generation = this.generation;
    const keep: Keep = (bytes, type) =>
      generation === this.generation ? this.put(key, bytes, type) : new Representation(bytes, type, this.now());
    const made = make(keep);
    // Those who wait see a failure as "nothing to share" and make their own; the maker sees it as it is.
    const shared = made.catch(() => undefined);
    this.fills.set(key, shared);
    void shared.then(() => {
      if (this.fills.get(key) === shared) this.fills.delete(key);
    });
    return made.then(() => undefined);
  }

  private put(key: string, bytes: Buffer, type: string): Representation {
    const representation = new Representation(bytes, type, this.now());
    if (this.ttlMs <= 0) return representation;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    // A Map iterates in insertion order: the first entry is the oldest.
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size < this.maxEntries && this.bytes + bytes.length <= this.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
    this.entries.set(key, representation);
    this.bytes += bytes.length;
    return representation;
  }

  invalidate(): void {
    this.entries.clear();
    this.fills.clear();
    this.generation++;
    this.bytes = 0;
  }

  private remove(key: string, entry: Representation): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes.length;
  }
}
