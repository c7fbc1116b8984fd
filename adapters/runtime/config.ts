import { keySizeProblem, SPACEOUT_SITE_KEY } from '../spaceout/facility-list-key.js';

export { SPACEOUT_SITE_KEY };

/** The service's settings, read once from the environment and validated before anything starts. */
export interface Config {
  readonly port: number;
  readonly host: string;
  /** null: start the bundled simulator and poll it. */
  readonly spaceoutUrl: string | null;
  readonly spaceoutKey: string;
  readonly pollIntervalSeconds: number;
  readonly dataDir: string;
  readonly tableName: string | null;
  readonly dynamodbEndpoint: string | null;
  readonly eventBusName: string | null;
  readonly adminApiKey: string | null;
  readonly logLevel: LogLevel;
  readonly cursorSecret: string;
  /** Origins allowed to GET cross-origin; `*` = any. */
  readonly corsAllowedOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
  readonly adminRateLimitPerMinute: number;
  readonly cacheMaxAgeSeconds: number;
  /** How long SIGTERM may take to finish requests and a running poll before exiting anyway. */
  readonly shutdownTimeoutSeconds: number;
  /** Proxies in front that append to X-Forwarded-For (an ALB: 1); 0 = use the socket's address. */
  readonly trustedProxyHops: number;
  /** The web page's map tiles: a `{z}/{x}/{y}` URL template; null = no tiles, a plain background. */
  readonly mapTileUrl: string | null;
  /** HTML the map shows for the tiles' licence, as Leaflet does. */
  readonly mapTileAttribution: string;
  /** Webhooks may go to loopback addresses, over plain http too: for local use and tests. */
  readonly webhookAllowLoopback: boolean;
  /** Seals subscription secrets at rest; the secrets cannot be read back under another key. */
  readonly webhookSecretKey: string;
  readonly webhookTimeoutSeconds: number;
  readonly webhookMaxAttempts: number;
  readonly subscriptionRateLimitPerMinute: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SPACEOUT_SITE_URL = 'https://www.spaceout.gov.sg/graphql';
export const OPENSTREETMAP_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
export const OPENSTREETMAP_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
/** Not a secret: it only makes cursors tamper-evident. Set CURSOR_SECRET to make them unforgeable. */
const DEFAULT_CURSOR_SECRET = 'spaceout-crowd-cursor-v1';
/**
 * Not a secret either: under it, sealed subscription secrets are as safe as the table itself,
 * which is fine for a laptop. The stack sets WEBHOOK_SECRET_KEY from Secrets Manager.
 */
const DEFAULT_WEBHOOK_SECRET_KEY = 'spaceout-crowd-webhook-secrets-v1-built-in';

/** A setting that is present but invalid; its message is the one line start-up prints. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env): Config {
  const inProduction = env['NODE_ENV'] === 'production';
  const pollIntervalSeconds = integerSetting(env, 'POLL_INTERVAL_SECONDS', 300, 0, 86_400);
  return {
    port: integerSetting(env, 'PORT', 3000, 0, 65535),
    host: textSetting(env, 'HOST', /^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address') ?? '127.0.0.1',
    spaceoutUrl: urlSetting(env, 'SPACEOUT_URL') ?? (inProduction ? SPACEOUT_SITE_URL : null),
    spaceoutKey: keySetting(env),
    pollIntervalSeconds,
    dataDir: textSetting(env, 'DATA_DIR', /^.+$/, 'a directory path') ?? './data',
    tableName: textSetting(env, 'TABLE_NAME', /^[A-Za-z0-9_.-]{3,255}$/, '3 to 255 letters, digits, "_", "." or "-"'),
    dynamodbEndpoint: urlSetting(env, 'DYNAMODB_ENDPOINT'),
    eventBusName: textSetting(env, 'EVENT_BUS_NAME', /^[A-Za-z0-9/._:-]{1,1600}$/, 'an EventBridge bus name or ARN'),
    adminApiKey: textSetting(env, 'ADMIN_API_KEY', /^[\x21-\x7e]{16,}$/, 'at least 16 printable characters without spaces'),
    logLevel: (textSetting(env, 'LOG_LEVEL', new RegExp(`^(${LOG_LEVELS.join('|')})$`), `one of ${LOG_LEVELS.join(', ')}`) ?? 'info') as LogLevel,
    cursorSecret: textSetting(env, 'CURSOR_SECRET', /^.{16,}$/, 'at least 16 characters') ?? DEFAULT_CURSOR_SECRET,
    corsAllowedOrigins: originsSetting(env),
    rateLimitPerMinute: integerSetting(env, 'RATE_LIMIT_PER_MINUTE', 1200, 1, 1_000_000),
    adminRateLimitPerMinute: integerSetting(env, 'ADMIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
    cacheMaxAgeSeconds: cacheMaxAgeSetting(env, pollIntervalSeconds),
    shutdownTimeoutSeconds: integerSetting(env, 'SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 3_600),
    trustedProxyHops: integerSetting(env, 'TRUSTED_PROXY_HOPS', 0, 0, 5),
    mapTileUrl: tileUrlSetting(env),
    mapTileAttribution: textSetting(env, 'MAP_TILE_ATTRIBUTION', /^[^\n]{1,500}$/, 'one line of at most 500 characters') ?? OPENSTREETMAP_ATTRIBUTION,
    webhookAllowLoopback: booleanSetting(env, 'WEBHOOK_ALLOW_LOOPBACK', false),
    webhookSecretKey: textSetting(env, 'WEBHOOK_SECRET_KEY', /^[\x21-\x7e]{32,}$/, 'at least 32 printable characters without spaces') ?? DEFAULT_WEBHOOK_SECRET_KEY,
    webhookTimeoutSeconds: integerSetting(env, 'WEBHOOK_TIMEOUT_SECONDS', 5, 1, 30),
    webhookMaxAttempts: integerSetting(env, 'WEBHOOK_MAX_ATTEMPTS', 5, 1, 10),
    subscriptionRateLimitPerMinute: integerSetting(env, 'SUBSCRIPTION_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000),
  };
}

/** An empty variable counts as unset, as shells and env files commonly leave them; any other value is taken as given. */
function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function invalid(name: string, value: string, expected: string): ConfigError {
  return new ConfigError(`${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
}

function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw invalid(name, value, `a whole number from ${min} to ${max}`);
  }
  return number;
}

/** Settings whose value never appears in an error message. */
const SECRET_SETTINGS = new Set(['ADMIN_API_KEY', 'CURSOR_SECRET', 'WEBHOOK_SECRET_KEY']);

function booleanSetting(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (value !== 'true' && value !== 'false') throw invalid(name, value, 'true or false');
  return value === 'true';
}

function textSetting(env: Env, name: string, pattern: RegExp, expected: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  if (!pattern.test(value)) throw invalid(name, SECRET_SETTINGS.has(name) ? '…' : value, expected);
  return value;
}

/** `*`, or origins exactly as browsers send them: scheme, host and port, no path or trailing slash. */
function originsSetting(env: Env): string[] {
  const value = raw(env, 'CORS_ALLOWED_ORIGINS');
  if (value === undefined || value === '*') return ['*'];
  const origins = value.split(',');
  const isOrigin = (text: string) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol) && new URL(text).origin === text;
  if (!origins.every(isOrigin)) throw invalid('CORS_ALLOWED_ORIGINS', value, '* or a comma-separated list of http(s) origins such as https://example.org');
  return origins;
}

/**
 * Data changes at most once a poll, so a reply may be cached for part of a poll interval but
 * never longer: 30 s by default, or the interval when that is shorter.
 */
function cacheMaxAgeSetting(env: Env, pollIntervalSeconds: number): number {
  const polling = pollIntervalSeconds > 0;
  const maxAge = integerSetting(env, 'CACHE_MAX_AGE_SECONDS', polling ? Math.min(30, pollIntervalSeconds) : 30, 0, 86_400);
  if (polling && maxAge > pollIntervalSeconds) {
    throw invalid('CACHE_MAX_AGE_SECONDS', String(maxAge), `at most POLL_INTERVAL_SECONDS (${pollIntervalSeconds}): a cached reply must not outlive the poll that replaces it`);
  }
  return maxAge;
}

function urlSetting(env: Env, name: string): string | null {
  const value = raw(env, name);
  if (value === undefined) return null;
  const url = URL.canParse(value) ? new URL(value) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw invalid(name, value, 'an http:// or https:// URL');
  return value;
}

/** `none`, or an http(s) tile URL template with {z}, {x} and {y} (and optionally {s} or {r}), as Leaflet takes it. */
function tileUrlSetting(env: Env): string | null {
  const value = raw(env, 'MAP_TILE_URL');
  if (value === undefined) return OPENSTREETMAP_TILE_URL;
  if (value === 'none') return null;
  const filled = value.replace('{s}', 'a').replace('{z}', '1').replace('{x}', '1').replace('{y}', '1').replace('{r}', '');
  const url = URL.canParse(filled) ? new URL(filled) : null;
  const placeholders = ['{z}', '{x}', '{y}'].every((placeholder) => value.includes(placeholder));
  // The page's Content-Security-Policy names the tile host; {s} can only be a wildcard's first label there.
  const subdomainFirst = !value.includes('{s}') || /^https?:\/\/[^/.]*\{s\}[^/.]*\./.test(value);
  if (url === null || !/^https?:$/.test(url.protocol) || !placeholders || !subdomainFirst || /[{}]/.test(filled)) {
    throw invalid('MAP_TILE_URL', value, 'none, or an http(s) URL template with {z}, {x} and {y}, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png');
  }
  return value;
}

function keySetting(env: Env): string {
  const value = raw(env, 'SPACEOUT_KEY');
  if (value === undefined) return SPACEOUT_SITE_KEY;
  const problem = keySizeProblem(value);
  if (problem !== null) throw new ConfigError(`SPACEOUT_KEY is invalid: ${problem}`);
  return value;
}
