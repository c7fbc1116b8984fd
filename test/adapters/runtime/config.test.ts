import test from 'ava';
import { readFileSync } from 'node:fs';
import {
  ConfigError,
  loadConfig,
  LOG_LEVELS,
  settingsTable,
  SPACEOUT_SITE_KEY,
  SPACEOUT_SITE_URL,
} from '../../../adapters/runtime/config.js';

test('with nothing set the service runs on 127.0.0.1:3000 against the simulator, embedded store, polling every 300 s', (t) => {
  const config = loadConfig({});
  t.like(config, {
    port: 3000,
    host: '127.0.0.1',
    spaceoutUrl: null,
    spaceoutKey: SPACEOUT_SITE_KEY,
    pollIntervalSeconds: 300,
    dataDir: './data',
    tableName: null,
    dynamodbEndpoint: null,
    eventBusName: null,
    adminApiKey: null,
    logLevel: 'info',
  });
});

test('the edge defaults are generous: any origin, 1200 requests a minute, 10 for admin, 30 s caching', (t) => {
  t.like(loadConfig({}), {
    corsAllowedOrigins: ['*'],
    rateLimitPerMinute: 1200,
    adminRateLimitPerMinute: 10,
    cacheMaxAgeSeconds: 30,
    shutdownTimeoutSeconds: 25,
  });
  t.deepEqual(loadConfig({ CORS_ALLOWED_ORIGINS: 'https://a.example,https://b.example' }).corsAllowedOrigins, [
    'https://a.example',
    'https://b.example',
  ]);
});

test('caching follows the poll interval: never longer, and no longer than it by default', (t) => {
  t.is(loadConfig({ POLL_INTERVAL_SECONDS: '10' }).cacheMaxAgeSeconds, 10);
  t.is(loadConfig({ POLL_INTERVAL_SECONDS: '600' }).cacheMaxAgeSeconds, 30);
  t.is(
    loadConfig({ POLL_INTERVAL_SECONDS: '0', CACHE_MAX_AGE_SECONDS: '600' }).cacheMaxAgeSeconds,
    600,
    'API tasks that do not poll take the value given',
  );
  const error = t.throws(() => loadConfig({ POLL_INTERVAL_SECONDS: '60', CACHE_MAX_AGE_SECONDS: '120' }), { instanceOf: ConfigError });
  t.regex(error.message, /^CACHE_MAX_AGE_SECONDS="120" is invalid: expected at most POLL_INTERVAL_SECONDS \(60\)/);
});

test('/metrics is public unless METRICS_ACCESS=admin, which needs the admin key it would ask for', (t) => {
  t.false(loadConfig({}).metricsNeedAdminKey);
  t.true(loadConfig({ METRICS_ACCESS: 'admin', ADMIN_API_KEY: 'an-admin-key-0123456789' }).metricsNeedAdminKey);
  const error = t.throws(() => loadConfig({ METRICS_ACCESS: 'admin' }), { instanceOf: ConfigError });
  t.is(error.message, 'METRICS_ACCESS="admin" is invalid: expected ADMIN_API_KEY to be set, since admin makes /metrics ask for that key');
});

test('in production an unset SPACEOUT_URL means the real site', (t) => {
  t.is(loadConfig({ NODE_ENV: 'production' }).spaceoutUrl, SPACEOUT_SITE_URL);
});

test('webhooks default to https only, 5 s, 5 attempts and 10 new subscriptions a minute per client', (t) => {
  t.like(loadConfig({}), {
    webhookAllowLoopback: false,
    webhookTimeoutSeconds: 5,
    webhookMaxAttempts: 5,
    subscriptionRateLimitPerMinute: 10,
  });
  t.like(loadConfig({ WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_TIMEOUT_SECONDS: '2', WEBHOOK_MAX_ATTEMPTS: '3' }), {
    webhookAllowLoopback: true,
    webhookTimeoutSeconds: 2,
    webhookMaxAttempts: 3,
  });
  t.is(loadConfig({ WEBHOOK_SECRET_KEY: 'k'.repeat(32) }).webhookSecretKey, 'k'.repeat(32));
  t.deepEqual(loadConfig({}).webhookPorts, [], 'any port by default');
  t.deepEqual(loadConfig({ WEBHOOK_PORTS: '443,8443' }).webhookPorts, [443, 8443]);
  t.deepEqual(loadConfig({ WEBHOOK_PORTS: 'any' }).webhookPorts, []);
});

test('an empty variable counts as unset', (t) => {
  t.is(loadConfig({ PORT: '' }).port, 3000);
});

const invalid: Array<[string, string, RegExp]> = [
  ['PORT', 'abc', /^PORT="abc" is invalid: expected a whole number from 0 to 65535$/],
  ['PORT', '70000', /^PORT=/],
  ['PORT', ' 3000', /^PORT=" 3000" is invalid/],
  ['PORT', '   ', /^PORT=" {3}" is invalid/],
  ['POLL_INTERVAL_SECONDS', '-5', /^POLL_INTERVAL_SECONDS="-5" is invalid/],
  ['POLL_INTERVAL_SECONDS', '1.5', /^POLL_INTERVAL_SECONDS=/],
  ['SPACEOUT_KEY', 'too-short', /^SPACEOUT_KEY is invalid: expected exactly 32 bytes for AES-256, got 9$/],
  ['SPACEOUT_URL', 'ftp://example.com', /^SPACEOUT_URL="ftp:\/\/example.com" is invalid/],
  ['SPACEOUT_URL', 'not a url', /^SPACEOUT_URL=/],
  ['DYNAMODB_ENDPOINT', 'localhost:8000', /^DYNAMODB_ENDPOINT=/],
  ['TABLE_NAME', 'a', /^TABLE_NAME=/],
  ['LOG_LEVEL', 'verbose', /^LOG_LEVEL="verbose" is invalid: expected one of fatal, error/],
  ['METRICS_ACCESS', 'private', /^METRICS_ACCESS="private" is invalid: expected one of public, admin$/],
  ['ADMIN_API_KEY', 'short', /^ADMIN_API_KEY is invalid: expected at least 16 printable characters without spaces$/],
  ['CURSOR_SECRET', 'short', /^CURSOR_SECRET is invalid: expected at least 16 characters$/],
  ['CORS_ALLOWED_ORIGINS', 'example.org', /^CORS_ALLOWED_ORIGINS="example.org" is invalid: expected \* or a comma-separated list/],
  ['CORS_ALLOWED_ORIGINS', 'https://a.example/path', /^CORS_ALLOWED_ORIGINS=/],
  ['CORS_ALLOWED_ORIGINS', 'https://a.example/', /^CORS_ALLOWED_ORIGINS=/],
  ['RATE_LIMIT_PER_MINUTE', '0', /^RATE_LIMIT_PER_MINUTE="0" is invalid/],
  ['ADMIN_RATE_LIMIT_PER_MINUTE', 'lots', /^ADMIN_RATE_LIMIT_PER_MINUTE=/],
  ['CACHE_MAX_AGE_SECONDS', '-1', /^CACHE_MAX_AGE_SECONDS=/],
  ['SHUTDOWN_TIMEOUT_SECONDS', '0', /^SHUTDOWN_TIMEOUT_SECONDS=/],
  ['TRUSTED_PROXY_HOPS', '6', /^TRUSTED_PROXY_HOPS="6" is invalid: expected a whole number from 0 to 5$/],
  ['WEBHOOK_ALLOW_LOOPBACK', 'yes', /^WEBHOOK_ALLOW_LOOPBACK="yes" is invalid: expected true or false$/],
  [
    'WEBHOOK_SECRET_KEY',
    'too-short-to-seal-anything',
    /^WEBHOOK_SECRET_KEY is invalid: expected at least 32 printable characters without spaces$/,
  ],
  ['WEBHOOK_TIMEOUT_SECONDS', '0', /^WEBHOOK_TIMEOUT_SECONDS="0" is invalid: expected a whole number from 1 to 30$/],
  ['WEBHOOK_MAX_ATTEMPTS', '11', /^WEBHOOK_MAX_ATTEMPTS="11" is invalid: expected a whole number from 1 to 10$/],
  ['WEBHOOK_PORTS', 'https', /^WEBHOOK_PORTS="https" is invalid: expected any, or a comma-separated list of ports from 1 to 65535/],
  ['WEBHOOK_PORTS', '443,0', /^WEBHOOK_PORTS="443,0" is invalid/],
  ['SUBSCRIPTION_RATE_LIMIT_PER_MINUTE', '0', /^SUBSCRIPTION_RATE_LIMIT_PER_MINUTE=/],
];

for (const [name, value, message] of invalid) {
  test(`${name}=${value} stops start-up with one line naming ${name}`, (t) => {
    const error = t.throws(() => loadConfig({ [name]: value }), { instanceOf: ConfigError });
    t.regex(error.message, message);
    t.false(error.message.includes('\n'));
  });
}

test('the admin key never appears in its error message', (t) => {
  const error = t.throws(() => loadConfig({ ADMIN_API_KEY: 'has space in it 1234567' }));
  t.false(error.message.includes('has space'));
});

test('the map tiles default to OpenStreetMap with its attribution; MAP_TILE_URL=none means no tiles', (t) => {
  t.like(loadConfig({}), {
    mapTileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    mapTileAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
  });
  t.is(loadConfig({ MAP_TILE_URL: 'none' }).mapTileUrl, null);
  t.like(loadConfig({ MAP_TILE_URL: 'https://{s}.tiles.example.org/{z}/{x}/{y}@2x.png', MAP_TILE_ATTRIBUTION: '© Example' }), {
    mapTileUrl: 'https://{s}.tiles.example.org/{z}/{x}/{y}@2x.png',
    mapTileAttribution: '© Example',
  });
});

for (const value of [
  'tiles.example.org/{z}/{x}/{y}.png',
  'ftp://tiles.example.org/{z}/{x}/{y}.png',
  'https://tiles.example.org/{z}/{x}.png',
  'https://tiles.example.org/{s}/{z}/{x}/{y}.png',
  'https://tiles.example.org/{z}/{x}/{y}.png?key={key}',
]) {
  test(`MAP_TILE_URL=${value} stops start-up with one line naming MAP_TILE_URL`, (t) => {
    const error = t.throws(() => loadConfig({ MAP_TILE_URL: value }), { instanceOf: ConfigError });
    t.regex(error.message, /^MAP_TILE_URL=".*" is invalid: expected none, or an http\(s\) URL template with \{z\}, \{x\} and \{y\}/);
  });
}

test("the README's settings table is the one the settings schema documents", (t) => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  t.true(readme.includes(`${settingsTable()}\n`), `the README should have this table under Settings:\n${settingsTable()}`);
});

test('log levels are pino’s, most severe first', (t) => {
  t.deepEqual(LOG_LEVELS, ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
});
