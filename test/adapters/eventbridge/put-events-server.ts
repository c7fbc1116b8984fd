import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One PutEvents entry as the SDK puts it on the wire (AWS JSON 1.1: Time in epoch seconds). */
export interface WireEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Time?: number;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly target: string | undefined;
  readonly contentType: string | undefined;
  readonly signed: boolean;
  readonly bodyBytes: number;
  readonly entries: readonly WireEntry[];
  /** What the stub did with the request. */
  readonly outcome: 'answered' | 'failed' | 'dropped' | 'refused' | 'stalled';
}

export type RequestFault = 'internal-error' | 'throttling';

interface EntryFault {
  readonly match: (entry: WireEntry) => boolean;
  readonly code: string;
  readonly times: number;
  readonly refusals: Map<string, number>;
}

/** AWS's limits, enforced here as EventBridge does, so a publisher that ignores them fails its tests. */
const MAX_ENTRIES = 10;
const MAX_BODY_BYTES = 256 * 1024;

/**
 * A loopback stand-in for EventBridge's PutEvents (AWS JSON 1.1). It records every request, keeps
 * the entries it accepted, and can be told to refuse entries, fail requests, or be down.
 */
export class PutEventsServer {
  readonly requests: RecordedRequest[] = [];
  /** Entries answered with an EventId, in the order they were accepted. */
  readonly accepted: WireEntry[] = [];
  private readonly entryFaults: EntryFault[] = [];
  private requestFaults: RequestFault[] = [];
  private droppedRequestsLeft = 0;
  private stalledRequestsLeft = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<PutEventsServer> {
    const server = createServer();
    const stub = new PutEventsServer(server);
    server.on('request', (request, response) => void stub.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return stub;
  }

  get endpoint(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The eventId of every accepted entry's Detail, in order. */
  get acceptedEventIds(): string[] {
    return this.accepted.map((entry) => eventIdOf(entry));
  }

  /** Refuses each entry that matches, with this per-entry ErrorCode, the first `times` times it is sent (by detail.eventId). */
  refuseEntries(match: (entry: WireEntry) => boolean, options: { code?: string; times?: number } = {}): void {
    this.entryFaults.push({ match, code: options.code ?? 'InternalFailure', times: options.times ?? 1, refusals: new Map() });
  }

  /** Fails the next `count` requests as a whole: HTTP 500, or HTTP 400 ThrottlingException. */
  failRequests(count: number, fault: RequestFault): void {
    this.requestFaults.push(...Array.from({ length: count }, () => fault));
  }

  /** Drops the connection of the next `requests` requests without an answer, as an unreachable bus does; all of them by default. */
  goDown(requests = Infinity): void {
    this.droppedRequestsLeft = requests;
  }

  /** Takes the next `requests` requests and never answers them, as a bus behind a stalled connection does. */
  stall(requests = Infinity): void {
    this.stalledRequestsLeft = requests;
  }

  comeBack(): void {
    this.droppedRequestsLeft = 0;
    this.stalledRequestsLeft = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const entries = parseEntries(body);
    const record = (outcome: RecordedRequest['outcome']): void => {
      this.requests.push({
        method: request.method ?? '',
        path: request.url ?? '',
        target: header(request, 'x-amz-target'),
        contentType: header(request, 'content-type'),
        signed: (header(request, 'authorization') ?? '').startsWith('AWS4-HMAC-SHA256 '),
        bodyBytes: body.length,
        entries,
        outcome,
      });
    };

    if (this.droppedRequestsLeft > 0) {
      this.droppedRequestsLeft--;
      record('dropped');
      request.socket.destroy();
      return;
    }
    if (this.stalledRequestsLeft > 0) {
      this.stalledRequestsLeft--;
      record('stalled');
      return;
    }
    const fault = this.requestFaults.shift();
    if (fault !== undefined) {
      record('failed');
      if (fault === 'throttling') reply(response, 400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      else reply(response, 500, { __type: 'InternalException', message: 'Internal service error' });
      return;
    }
    const invalid = this.invalidity(request, body, entries);
    if (invalid !== undefined) {
      record('refused');
      reply(response, 400, { __type: 'ValidationException', message: invalid });
      return;
    }
    record('answered');
    const results = entries.map((entry) => this.resultOf(entry));
    reply(response, 200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
  }

  private invalidity(request: IncomingMessage, body: Buffer, entries: readonly WireEntry[]): string | undefined {
    if (request.method !== 'POST' || header(request, 'x-amz-target') !== 'AWSEvents.PutEvents')
      return 'only AWSEvents.PutEvents is served here';
    if (entries.length === 0 || entries.length > MAX_ENTRIES) return `1 to ${MAX_ENTRIES} entries are allowed, got ${entries.length}`;
    if (body.length > MAX_BODY_BYTES) return `the request is ${body.length} bytes, over ${MAX_BODY_BYTES}`;
    return undefined;
  }

  private resultOf(entry: WireEntry): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    const eventId = eventIdOf(entry);
    for (const fault of this.entryFaults) {
      if (!fault.match(entry)) continue;
      const refused = fault.refusals.get(eventId) ?? 0;
      if (refused < fault.times) {
        fault.refusals.set(eventId, refused + 1);
        return { ErrorCode: fault.code, ErrorMessage: `refused by the test (${refused + 1} of ${fault.times})` };
      }
    }
    this.accepted.push(entry);
    return { EventId: randomUUID() };
  }
}

/** The eventId the publisher put in an entry's Detail; '' when the Detail has none. */
export function eventIdOf(entry: WireEntry): string {
  try {
    const detail = JSON.parse(entry.Detail ?? '') as { eventId?: unknown };
    return typeof detail.eventId === 'string' ? detail.eventId : '';
  } catch {
    return '';
  }
}

function parseEntries(body: Buffer): WireEntry[] {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { Entries?: unknown };
    return Array.isArray(parsed.Entries) ? (parsed.Entries as WireEntry[]) : [];
  } catch {
    return [];
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
