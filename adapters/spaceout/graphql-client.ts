import got, { RequestError, type Got } from 'got';
import { UpstreamError } from '../../domain/errors.js';
import { isRecord } from './facility-list-cipher.js';

export interface GraphQlClientSettings {
  readonly url: string;
  /** Per attempt. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on 5xx and network errors only. */
  readonly retryLimit?: number;
  /** First retry delay; doubles each retry, plus up to the same again of jitter. */
  readonly retryBaseDelayMs?: number;
}

const RETRIED_STATUSES = [500, 502, 503, 504, 521, 522, 524];

/** POSTs GraphQL queries and returns `data`, or throws UpstreamError saying what was wrong. */
export class GraphQlClient {
  private readonly http: Got;

  constructor(private readonly settings: GraphQlClientSettings) {
    const base = settings.retryBaseDelayMs ?? 1000;
    this.http = got.extend({
      timeout: { request: settings.timeoutMs ?? 10_000 },
      responseType: 'text',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      retry: {
        limit: settings.retryLimit ?? 3,
        // GraphQL queries are reads, so a POST is safe to repeat.
        methods: ['POST'],
        statusCodes: RETRIED_STATUSES,
        calculateDelay: ({ attemptCount, computedValue }) => (computedValue === 0 ? 0 : base * 2 ** (attemptCount - 1) * (1 + Math.random())),
      },
    });
  }

  async query(query: string): Promise<Record<string, unknown>> {
    const body = await this.post(query);
    let reply: unknown;
    try {
      reply = JSON.parse(body.text);
    } catch {
      throw new UpstreamError(`upstream reply is not JSON (content-type ${body.contentType ?? 'none'}, starts ${JSON.stringify(body.text.slice(0, 60))})`);
    }
    if (!isRecord(reply)) throw new UpstreamError('upstream reply is not a JSON object');
    if (Array.isArray(reply['errors']) && reply['errors'].length > 0) {
      const first = reply['errors'][0];
      const message = isRecord(first) && typeof first['message'] === 'string' ? first['message'] : JSON.stringify(first);
      throw new UpstreamError(`upstream answered GraphQL errors: ${message}`);
    }
    if (!isRecord(reply['data'])) throw new UpstreamError('upstream reply has no "data" object');
    return reply['data'];
  }

  private async post(query: string): Promise<{ text: string; contentType: string | undefined }> {
    try {
      const response = await this.http.post(this.settings.url, { body: JSON.stringify({ query }) });
      return { text: response.body, contentType: response.headers['content-type'] };
    } catch (error) {
      if (error instanceof RequestError) {
        const status = error.response?.statusCode;
        const attempts = (error.request?.retryCount ?? 0) + 1;
        const what = status === undefined ? `${error.code}: ${error.message}` : `HTTP ${status}`;
        throw new UpstreamError(`upstream ${this.settings.url} failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${what}`);
      }
      throw error;
    }
  }
}
