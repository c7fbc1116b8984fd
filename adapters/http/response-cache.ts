import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip' | 'identity';

/** Headers that differ per request, or that Node writes itself; never replayed. */
const PER_REQUEST_HEADERS = new Set(['x-request-id', 'date', 'connection', 'keep-alive']);

/** One reply serialised once: its bytes, their ETag, and each compressed form once asked for. */
export class Representation {
  readonly etag: string;
  /** `storedAt` as an HTTP date, formatted once rather than per reply. */
  readonly lastModified: string;
  private readonly encoded = new Map<Encoding, Buffer>();
  /** The headers of a whole 200 reply in each encoding, as the full middleware stack wrote them. */
  private readonly heads = new Map<Encoding, Readonly<Record<string, string | number | string[]>>>();

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

  /** Keeps the first reply's headers per encoding, without the per-request ones, for replaying. */
  rememberHead(encoding: Encoding, headers: Record<string, string | number | string[] | undefined>): void {
    if (this.heads.has(encoding)) return;
    const head: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined && !PER_REQUEST_HEADERS.has(name)) head[name] = value;
    this.heads.set(encoding, head);
  }

  headFor(encoding: Encoding): Readonly<Record<string, string | number | string[]>> | undefined {
    return this.heads.get(encoding);
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

/**
 * Replies of the hot read routes by URL. A poll's completion empties it (in-process event), and
 * every entry also expires after `ttlMs`, so an instance that missed the event still converges.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Representation>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    /** Bounds by count and by bytes, oldest entry out first: per-venue replies are many but small. */
    private readonly maxEntries = 5_000,
    private readonly maxBytes = 64 * 1024 * 1024,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Representation | undefined {
    const entry = this.peek(key);
    if (entry !== undefined) this.hits++;
    else this.misses++;
    return entry;
  }

  /** The fresh entry for the key, if any, without counting a lookup. */
  peek(key: string): Representation | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.now() - entry.storedAt < this.ttlMs) return entry;
    if (entry !== undefined) this.remove(key, entry);
    return undefined;
  }

  /** Counts a hit served without `get`, such as a replayed reply. */
  countHit(): void {
    this.hits++;
  }

  put(key: string, bytes: Buffer, type: string): Representation {
    const representation = new Representation(bytes, type, this.now());
    if (this.ttlMs <= 0) return representation;
    const previous = this.entries.get(key);
    if (previous !== undefined) this.remove(key, previous);
    while (this.entries.size > 0 && (this.entries.size >= this.maxEntries || this.bytes + bytes.length > this.maxBytes)) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.remove(oldestKey, oldest);
    }
    this.entries.set(key, representation);
    this.bytes += bytes.length;
    return representation;
  }

  invalidate(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  private remove(key: string, entry: Representation): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes.length;
  }
}
