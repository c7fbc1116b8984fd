import { pino, type Level, type LevelWithSilent } from 'pino';
import { z } from 'zod';
import type { EdgeSettings } from '../http/http-app.js';
import { keySizeProblem, SPACEOUT_SITE_KEY } from '../spaceout/facility-list-key.js';

export { SPACEOUT_SITE_KEY };

const severities = pino.levels.values as Record<Level, number>;
/** pino's levels, most severe first, then `silent`. */
export const LOG_LEVELS: readonly LevelWithSilent[] = [
  ...(Object.keys(severities) as Level[]).sort((a, b) => severities[b] - severities[a]),
  'silent',
];
export type LogLevel = LevelWithSilent;

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
/** A reply may be cached this long by default, or for the poll interval when that is shorter. */
const DEFAULT_CACHE_MAX_AGE_SECONDS = 30;

/** A setting that is present but invalid; its message is the one line start-up prints. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** How the README's settings table shows a setting; the schema's own default is shown unless `shownDefault` says otherwise. */
interface SettingDocs {
  readonly description: string;
  readonly shownDefault?: string;
  /** Its value is never repeated in an error. */
  readonly secret?: boolean;
}

const documented = <T extends z.ZodType>(schema: T, docs: SettingDocs): T => schema.meta({ ...docs });

// Each refusal's message is what the value should have been: "expected <message>".
const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .refine((text) => /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) && Number(text) >= min && Number(text) <= max, {
      error: `a whole number from ${min} to ${max}`,
    })
    .transform(Number);

const matching = (pattern: RegExp, expected: string) => z.string().regex(pattern, { error: expected });

const trueOrFalse = () => z.stringbool({ truthy: ['true'], falsy: ['false'], case: 'sensitive', error: 'true or false' });

const httpUrl = () =>
  z.string().refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol), { error: 'an http:// or https:// URL' });

/** `any`, or the ports webhooks may use, comma-separated; an empty list means any. */
const ports = () =>
  z
    .string()
    .refine(
      (text) => text === 'any' || text.split(',').every((port) => /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535),
      {
        error: 'any, or a comma-separated list of ports from 1 to 65535 such as 443',
      },
    )
    .transform((text): readonly number[] => (text === 'any' ? [] : text.split(',').map(Number)));

/** `*`, or origins exactly as browsers send them: scheme, host and port, no path or trailing slash. */
const origins = () =>
  z
    .string()
    .refine(
      (text) =>
        text === '*' ||
        text
          .split(',')
          .every((origin) => URL.canParse(origin) && /^https?:$/.test(new URL(origin).protocol) && new URL(origin).origin === origin),
      {
        error: '* or a comma-separated list of http(s) origins such as https://example.org',
      },
    )
    .transform((text) => (text === '*' ? ['*'] : text.split(',')));

/** `none`, or an http(s) tile URL template with {z}, {x} and {y} (and optionally {s} or {r}), as Leaflet takes it. */
const tileUrl = () =>
  z
    .string()
    .refine((text) => text === 'none' || isTileTemplate(text), {
      error: 'none, or an http(s) URL template with {z}, {x} and {y}, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    })
    .transform((text) => (text === 'none' ? null : text));

function isTileTemplate(template: string): boolean {
  const filled = template.replace('{s}', 'a').replace('{z}', '1').replace('{x}', '1').replace('{y}', '1').replace('{r}', '');
  const url = URL.canParse(filled) ? new URL(filled) : null;
  const placeholders = ['{z}', '{x}', '{y}'].every((placeholder) => template.includes(placeholder));
  // The page's Content-Security-Policy names the tile host; {s} can only be a wildcard's first label there.
  const subdomainFirst = !template.includes('{s}') || /^https?:\/\/[^/.]*\{s\}[^/.]*\./.test(template);
  return url !== null && /^https?:$/.test(url.protocol) && placeholders && subdomainFirst && !/[{}]/.test(filled);
}

const aesKey = () =>
  z.string().refine((text) => keySizeProblem(text) === null, { error: (issue) => keySizeProblem(String(issue.input)) ?? '' });

/**
 * Every setting: how its variable is parsed, and how the README documents it (a test keeps the
 * README's table equal to `settingsTable()`). Unset and empty variables take the default.
 */
const SETTINGS = z
  .object({
    PORT: documented(wholeNumber(0, 65535).default(3000), { description: 'HTTP port (0 = any free port)' }),
    HOST: documented(matching(/^[A-Za-z0-9.:[\]-]+$/, 'a host name or IP address').default('127.0.0.1'), {
      description: 'bind address',
      shownDefault: '`127.0.0.1`; the container image sets `0.0.0.0`',
    }),
    SPACEOUT_URL: documented(httpUrl().optional(), {
      description: 'upstream GraphQL endpoint',
      shownDefault: `unset: the bundled simulator on loopback; with \`NODE_ENV=production\` (the image): \`${SPACEOUT_SITE_URL}\``,
    }),
    SPACEOUT_KEY: documented(aesKey().default(SPACEOUT_SITE_KEY), {
      description: 'AES-256 key of the facility list (exactly 32 bytes)',
      shownDefault: "the key the site's front end ships",
      secret: true,
    }),
    POLL_INTERVAL_SECONDS: documented(wholeNumber(0, 86_400).default(300), {
      description: 'in-process polling period, 0–86400; `0` = no in-process polling',
    }),
    DATA_DIR: documented(matching(/^.+$/, 'a directory path').default('./data'), {
      description:
        'where the embedded store keeps its files; one process at a time (a second, such as `poll-once` beside `npm start`, is refused with one line)',
    }),
    TABLE_NAME: documented(matching(/^[A-Za-z0-9_.-]{3,255}$/, '3 to 255 letters, digits, "_", "." or "-"').optional(), {
      description: 'DynamoDB table; alone, the real AWS service is used and the table must exist',
      shownDefault: 'unset = embedded store',
    }),
    DYNAMODB_ENDPOINT: documented(httpUrl().optional(), {
      description: 'a DynamoDB-API server (DynamoDB Local, dynalite); the table is created when missing',
      shownDefault: 'unset',
    }),
    EVENT_BUS_NAME: documented(matching(/^[A-Za-z0-9/._:-]{1,1600}$/, 'an EventBridge bus name or ARN').optional(), {
      description: 'EventBridge bus',
      shownDefault: 'unset = in-process bus',
    }),
    ADMIN_API_KEY: documented(matching(/^[\x21-\x7e]{16,}$/, 'at least 16 printable characters without spaces').optional(), {
      description: 'bearer token for `/v1/admin/*`, at least 16 characters (on AWS the stack generates it in Secrets Manager)',
      shownDefault: 'unset = admin routes answer 404',
      secret: true,
    }),
    METRICS_ACCESS: documented(z.enum(['public', 'admin'], { error: 'one of public, admin' }).default('public'), {
      description:
        '`admin`: `/metrics` answers only with `Authorization: Bearer <ADMIN_API_KEY>` (needs `ADMIN_API_KEY`; the AWS stack sets it, since its load balancer is public)',
    }),
    LOG_LEVEL: documented(z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(', ')}` }).default('info'), {
      description: `pino level: ${LOG_LEVELS.map((level) => `\`${level}\``).join(' ')}`,
    }),
    CURSOR_SECRET: documented(matching(/^.{16,}$/, 'at least 16 characters').default(DEFAULT_CURSOR_SECRET), {
      description:
        'HMAC key of paging cursors, at least 16 characters; set the same value on every instance to make cursors unforgeable (on AWS the stack generates one for all tasks)',
      shownDefault: 'a fixed built-in key (cursors are still tamper-evident)',
      secret: true,
    }),
    CORS_ALLOWED_ORIGINS: documented(origins().default(['*']), {
      description: 'origins allowed to GET cross-origin: `*` or a comma-separated list of `http(s)://` origins',
      shownDefault: '`*`',
    }),
    RATE_LIMIT_PER_MINUTE: documented(wholeNumber(1, 1_000_000).default(1200), {
      description:
        'requests per client address per minute, per instance; beyond it 429 with `Retry-After`. `/health` and `/ready` are never limited',
    }),
    ADMIN_RATE_LIMIT_PER_MINUTE: documented(wholeNumber(1, 10_000).default(10), { description: 'the same for `/v1/admin/*`' }),
    CACHE_MAX_AGE_SECONDS: documented(wholeNumber(0, 86_400).optional(), {
      description:
        '`Cache-Control: max-age` of `/v1/*` replies and the in-process cache bound; never more than `POLL_INTERVAL_SECONDS` when that is set (a larger value stops start-up)',
      shownDefault: `\`${DEFAULT_CACHE_MAX_AGE_SECONDS}\`, or the poll interval when shorter`,
    }),
    TRUSTED_PROXY_HOPS: documented(wholeNumber(0, 5).default(0), {
      description:
        "proxies in front that append the client's address to `X-Forwarded-For` (the template sets 1 behind an ALB; the NLB preserves client addresses); only that many entries from the right are trusted",
    }),
    SHUTDOWN_TIMEOUT_SECONDS: documented(wholeNumber(1, 3_600).default(25), {
      description: 'how long SIGTERM may take to finish requests and a running poll before the process exits anyway (exit 1)',
    }),
    MAP_TILE_URL: documented(tileUrl().default(OPENSTREETMAP_TILE_URL), {
      description:
        "the page's map tiles: an `http(s)` URL template with `{z}`, `{x}` and `{y}` (`{s}` only as the host's first label), or `none` for no tiles; the page's CSP allows its host",
    }),
    MAP_TILE_ATTRIBUTION: documented(matching(/^[^\n]{1,500}$/, 'one line of at most 500 characters').default(OPENSTREETMAP_ATTRIBUTION), {
      description: "the tiles' licence as the map shows it (HTML, one line)",
    }),
    WEBHOOK_ALLOW_LOOPBACK: documented(trueOrFalse().default(false), {
      description:
        '`true` lets webhooks go to loopback addresses, over plain http too, for local use and tests; private, link-local and unique-local addresses stay refused',
    }),
    WEBHOOK_PORTS: documented(ports().default([]), {
      description:
        'the ports webhook URLs may use, comma-separated, or `any`; a URL on another port is refused when the subscription is created (the AWS stack sets `443`, the only port its tasks may reach)',
      shownDefault: '`any`',
    }),
    WEBHOOK_SECRET_KEY: documented(
      matching(/^[\x21-\x7e]{32,}$/, 'at least 32 printable characters without spaces').default(DEFAULT_WEBHOOK_SECRET_KEY),
      {
        description:
          "seals subscriptions' secrets in the table (AES-256-GCM under a key derived from it), at least 32 printable characters; the same on every instance, and never changed once subscriptions exist (they could no longer be signed for). On AWS the stack generates it",
        shownDefault: 'a fixed built-in key: the secrets are then as safe as the table itself',
        secret: true,
      },
    ),
    WEBHOOK_TIMEOUT_SECONDS: documented(wholeNumber(1, 30).default(5), { description: "one webhook attempt's limit, 1–30" }),
    WEBHOOK_MAX_ATTEMPTS: documented(wholeNumber(1, 10).default(5), { description: 'attempts per delivery, the first included, 1–10' }),
    SUBSCRIPTION_RATE_LIMIT_PER_MINUTE: documented(wholeNumber(1, 10_000).default(10), {
      description: 'subscriptions a client address may create per minute, per instance',
    }),
  })
  .superRefine((settings, ctx) => {
    if (settings.METRICS_ACCESS === 'admin' && settings.ADMIN_API_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['METRICS_ACCESS'],
        message: 'ADMIN_API_KEY to be set, since admin makes /metrics ask for that key',
      });
    }
    // Data changes at most once a poll, so a reply may be cached for part of a poll interval but never longer.
    const polling = settings.POLL_INTERVAL_SECONDS > 0;
    if (polling && settings.CACHE_MAX_AGE_SECONDS !== undefined && settings.CACHE_MAX_AGE_SECONDS > settings.POLL_INTERVAL_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['CACHE_MAX_AGE_SECONDS'],
        message: `at most POLL_INTERVAL_SECONDS (${settings.POLL_INTERVAL_SECONDS}): a cached reply must not outlive the poll that replaces it`,
      });
    }
  });

type Env = Readonly<Record<string, string | undefined>>;
type Settings = z.output<typeof SETTINGS>;

/** The service's settings, read once from the environment and validated before anything starts. */
export function loadConfig(env: Env) {
  const settings = parseSettings(env);
  const pollIntervalSeconds = settings.POLL_INTERVAL_SECONDS;
  return {
    port: settings.PORT,
    host: settings.HOST,
    /** null: start the bundled simulator and poll it. */
    spaceoutUrl: settings.SPACEOUT_URL ?? (env['NODE_ENV'] === 'production' ? SPACEOUT_SITE_URL : null),
    spaceoutKey: settings.SPACEOUT_KEY,
    pollIntervalSeconds,
    dataDir: settings.DATA_DIR,
    tableName: settings.TABLE_NAME ?? null,
    dynamodbEndpoint: settings.DYNAMODB_ENDPOINT ?? null,
    eventBusName: settings.EVENT_BUS_NAME ?? null,
    adminApiKey: settings.ADMIN_API_KEY ?? null,
    /** Whether /metrics asks for the admin key. */
    metricsNeedAdminKey: settings.METRICS_ACCESS === 'admin',
    logLevel: settings.LOG_LEVEL,
    cursorSecret: settings.CURSOR_SECRET,
    /** Origins allowed to GET cross-origin; `*` = any. */
    corsAllowedOrigins: settings.CORS_ALLOWED_ORIGINS as readonly string[],
    rateLimitPerMinute: settings.RATE_LIMIT_PER_MINUTE,
    adminRateLimitPerMinute: settings.ADMIN_RATE_LIMIT_PER_MINUTE,
    cacheMaxAgeSeconds:
      settings.CACHE_MAX_AGE_SECONDS ??
      (pollIntervalSeconds > 0 ? Math.min(DEFAULT_CACHE_MAX_AGE_SECONDS, pollIntervalSeconds) : DEFAULT_CACHE_MAX_AGE_SECONDS),
    /** How long SIGTERM may take to finish requests and a running poll before exiting anyway. */
    shutdownTimeoutSeconds: settings.SHUTDOWN_TIMEOUT_SECONDS,
    /** Proxies in front that append to X-Forwarded-For (an ALB: 1); 0 = use the socket's address. */
    trustedProxyHops: settings.TRUSTED_PROXY_HOPS,
    /** The web page's map tiles: a `{z}/{x}/{y}` URL template; null = no tiles, a plain background. */
    mapTileUrl: settings.MAP_TILE_URL,
    /** HTML the map shows for the tiles' licence, as Leaflet does. */
    mapTileAttribution: settings.MAP_TILE_ATTRIBUTION,
    /** Webhooks may go to loopback addresses, over plain http too: for local use and tests. */
    webhookAllowLoopback: settings.WEBHOOK_ALLOW_LOOPBACK,
    /** The ports webhook URLs may use; empty = any. */
    webhookPorts: settings.WEBHOOK_PORTS,
    /** Seals subscription secrets at rest; the secrets cannot be read back under another key. */
    webhookSecretKey: settings.WEBHOOK_SECRET_KEY,
    webhookTimeoutSeconds: settings.WEBHOOK_TIMEOUT_SECONDS,
    webhookMaxAttempts: settings.WEBHOOK_MAX_ATTEMPTS,
    subscriptionRateLimitPerMinute: settings.SUBSCRIPTION_RATE_LIMIT_PER_MINUTE,
  } as const;
}

export type Config = ReturnType<typeof loadConfig>;

/** The settings the HTTP edge takes. */
export function edgeSettingsOf(config: Config): EdgeSettings {
  return {
    corsOrigins: config.corsAllowedOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    cacheMaxAgeSeconds: config.cacheMaxAgeSeconds,
    trustedProxyHops: config.trustedProxyHops,
  };
}

function parseSettings(env: Env): Settings {
  // An empty variable counts as unset, as shells and env files commonly leave them; any other value is taken as given.
  const given = Object.fromEntries(
    Object.keys(SETTINGS.shape).flatMap((name) => (env[name] === undefined || env[name] === '' ? [] : [[name, env[name]]])),
  );
  const parsed = SETTINGS.safeParse(given);
  if (parsed.success) return parsed.data;
  // A failed parse always has an issue; its path is the variable's name.
  const [issue] = parsed.error.issues;
  const name = String(issue?.path[0]) as keyof typeof SETTINGS.shape;
  const shown = docsOf(name).secret === true ? '' : `=${JSON.stringify(given[name])}`;
  throw new ConfigError(`${name}${shown} is invalid: expected ${issue?.message ?? parsed.error.message}`);
}

function docsOf(name: keyof typeof SETTINGS.shape): SettingDocs {
  return SETTINGS.shape[name].meta() as unknown as SettingDocs;
}

/** The settings as the README's table shows them: variable, meaning, default. */
export function settingsTable(): string {
  const rows = Object.keys(SETTINGS.shape).map((key) => {
    const name = key as keyof typeof SETTINGS.shape;
    const { description, shownDefault } = docsOf(name);
    const schemaDefault = SETTINGS.shape[name].safeParse(undefined).data;
    return `| \`${name}\` | ${description} | ${shownDefault ?? `\`${String(schemaDefault)}\``} |`;
  });
  return ['| variable | meaning | default |', '| --- | --- | --- |', ...rows].join('\n');
}
