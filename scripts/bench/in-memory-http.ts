/**
 * Drives a Node request listener over in-memory connections: Node's HTTP parser, the listener
 * and Node's response writer all run; the kernel, loopback TCP and the load generator do not.
 * What it measures, this process's CPU time per request, is the listener's own cost, and it
 * holds steady on a shared machine where requests/s over loopback swing by a factor of two.
 */
import { createServer, type RequestListener } from 'node:http';
import { Duplex } from 'node:stream';

/**
 * One keep-alive client connection as the server sees it: it sends the next request as soon as
 * the whole reply has arrived (every reply measured here carries Content-Length).
 */
class InMemoryConnection extends Duplex {
  // What node:http and Koa read from a socket.
  readonly remoteAddress = '127.0.0.1';
  private head = Buffer.alloc(0);
  private remaining = -1;

  constructor(
    private readonly request: Buffer,
    private readonly onReply: () => void,
  ) {
    super();
  }

  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }

  send(): void {
    // As from the network: the next request arrives on a later turn of the event loop.
    setImmediate(() => this.push(this.request));
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.received(chunk);
    done();
  }

  private received(chunk: Buffer): void {
    if (this.remaining < 0) {
      this.head = Buffer.concat([this.head, chunk]);
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = /^content-length: *(\d+)/im.exec(this.head.toString('latin1', 0, end))?.[1];
      if (length === undefined) throw new Error('the in-memory client needs replies with Content-Length');
      this.remaining = end + 4 + Number(length);
      chunk = this.head;
      this.head = Buffer.alloc(0);
    }
    this.remaining -= chunk.length;
    if (this.remaining <= 0) {
      this.remaining = -1;
      this.onReply();
    }
  }
}

/** CPU time (µs) this process spends per GET of `path`, over `connections` in-memory keep-alive connections. */
export async function cpuPerRequestInMemory(listener: RequestListener, path: string, requests: number, connections = 8): Promise<number> {
  const server = createServer(listener);
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 'latin1');
  let toSend = requests;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<void>((finished) => {
          const connection: InMemoryConnection = new InMemoryConnection(request, () => next());
          const next = () => {
            if (toSend-- > 0) connection.send();
            else {
              connection.destroy();
              finished();
            }
          };
          server.emit('connection', connection);
          next();
        }),
    ),
  );
  const used = process.cpuUsage(started);
  return (used.user + used.system) / requests;
}
