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

  /** The fresh entry for the key, if any; counted as a hit or a miss. */
  get(key: string): Representation | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && this.now() - entry.storedAt < this.ttlMs) {
      this.hits++;
      return entry;
    }
    if (entry !== undefined) this.remove(key, entry);
    this.misses++;
    return undefined;
  }

  put(key: string, bytes: Buffer, type: string): Representation {
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
    this.bytes = 0;
  }

  private remove(key: string, entry: Representation): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes.length;
  }
}
