import got, { RequestError, type Got } from 'got';
import { UpstreamError } from '../../domain/errors.js';
import { isRecord } from './is-record.js';

export interface GraphQlClientSettings {
  readonly url: string;
  /** Per attempt; default 10 s. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on 5xx and network errors only; default 3. */
  readonly retryLimit?: number;
  /** First retry delay; doubles each retry, plus up to the same again of jitter. Default 1 s. */
  readonly retryBaseDelayMs?: number;
}

const RETRIED_STATUSES = [500, 502, 503, 504, 521, 522, 524];
const EXCERPT_CHARS = 60;

/** POSTs GraphQL queries and returns `data`, or throws UpstreamError saying in one line what was wrong. */
export class GraphQlClient {
  private readonly http: Got;

  constructor(private readonly settings: GraphQlClientSettings) {
    const base = settings.retryBaseDelayMs ?? 1000;
    this.http = got.extend({
      timeout: { request: settings.timeoutMs ?? 10_000 },
      responseType: 'text',
      headers: { accept: 'application/json' },
      retry: {
        limit: settings.retryLimit ?? 3,
        // GraphQL queries are reads, so a POST is safe to repeat; got leaves POST out by default.
        methods: ['POST'],
        statusCodes: RETRIED_STATUSES,
        // got computes 0 when it will not retry (4xx, limit reached); keep that, otherwise back off exponentially.
        calculateDelay: ({ attemptCount, computedValue }) =>
          computedValue === 0 ? 0 : base * 2 ** (attemptCount - 1) * (1 + Math.random()),
      },
    });
  }

  async query(query: string): Promise<Record<string, unknown>> {
    const reply = await this.post(query);
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.text);
    } catch {
      throw new UpstreamError(`upstream reply is not JSON (HTTP ${reply.status}, ${describeBody(reply.contentType, reply.text)})`);
    }
    if (!isRecord(parsed))
      throw new UpstreamError(
        `upstream reply is JSON but not an object (HTTP ${reply.status}, ${describeBody(reply.contentType, reply.text)})`,
      );
    const errors = parsed['errors'];
    if (Array.isArray(errors) && errors.length > 0) {
      throw new UpstreamError(`upstream answered ${errors.length} GraphQL error${errors.length === 1 ? '' : 's'}: ${messageOf(errors[0])}`);
    }
    if (!isRecord(parsed['data']))
      throw new UpstreamError(`upstream reply has no "data" object (${describeBody(reply.contentType, reply.text)})`);
    return parsed['data'];
  }

  private async post(query: string): Promise<{ status: number; text: string; contentType: string | undefined }> {
    try {
      const response = await this.http.post(this.settings.url, { json: { query } });
      return { status: response.statusCode, text: response.body, contentType: response.headers['content-type'] };
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      const attempts = (error.request?.retryCount ?? 0) + 1;
      const response = error.response;
      const what =
        response === undefined
          ? `${error.code}: ${error.message}`
          : `HTTP ${response.statusCode} (${describeBody(response.headers['content-type'], typeof response.body === 'string' ? response.body : '')})`;
      throw new UpstreamError(`upstream ${this.settings.url} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${what}`);
    }
  }
}

function describeBody(contentType: string | undefined, text: string): string {
  return `content-type ${contentType ?? 'none'}, starts ${JSON.stringify(text.slice(0, EXCERPT_CHARS))}`;
}

function messageOf(error: unknown): string {
  const message = isRecord(error) && typeof error['message'] === 'string' ? error['message'] : JSON.stringify(error);
  return message.replace(/\s+/g, ' ').slice(0, 200);
}
