import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { ADMIN_KEY, startHarness } from '../../support/http-harness.js';
import { createRouter } from '../../../adapters/http/routes.js';
import { aReading, aVenue } from '../../support/builders.js';

const root = new URL('../../../', import.meta.url).pathname;
const run = promisify(execFile);

/** The routes the router really has, as OpenAPI path + method pairs. */
function routerOperations(): string[] {
  const router = createRouter({ adminApiKey: ADMIN_KEY, cursorSecret: 'x' } as Parameters<typeof createRouter>[0]);
  return router.stack
    .flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((method) => `${method.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
    )
    .sort();
}

async function servedDocument(
  t: { teardown(fn: () => Promise<void>): void },
  adminApiKey: string | null = ADMIN_KEY,
  env: Readonly<Record<string, string>> = {},
) {
  const api = await startHarness({ adminApiKey, env });
  t.teardown(() => api.close());
  const { status, body } = await api.get('/openapi.json');
  if (status !== 200) throw new Error(`GET /openapi.json answered ${status}`);
  return { api, document: body };
}

function scratchDirectory(t: { teardown(fn: () => void): void }): string {
  const directory = mkdtempSync(join(tmpdir(), 'spaceout-openapi-'));
  t.teardown(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

test('the OpenAPI document lists exactly the routes the router serves', async (t) => {
  const { document } = await servedDocument(t);
  const documented = Object.entries(document.paths as Record<string, object>)
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
    .sort();
  t.deepEqual(documented, routerOperations());
});

test('the OpenAPI document is version 3 and names every problem type', async (t) => {
  const { document } = await servedDocument(t);
  t.regex(document.openapi, /^3\./);
  const types: string[] = document.components.schemas.Problem.properties.type.enum;
  for (const slug of ['invalid-parameter', 'not-found', 'rate-limited', 'body-not-allowed', 'uri-too-long']) {
    t.true(types.includes(`https://spaceout-crowd.dev/problems/${slug}`), slug);
  }
  t.regex(document.info.description, /429/);
});

test('query parameters are documented from the schemas the routes parse with', async (t) => {
  const { document } = await servedDocument(t);
  const parameters = (path: string) =>
    document.paths[path].get.parameters as Array<{ name: string; in: string; required: boolean; schema: object }>;
  t.deepEqual(
    parameters('/v1/venues').map((p) => p.name),
    ['type', 'q', 'active', 'limit', 'cursor'],
  );
  t.like(
    parameters('/v1/venues').find((p) => p.name === 'limit'),
    { in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
  );
  t.like(
    parameters('/v1/venues').find((p) => p.name === 'active'),
    { schema: { type: 'boolean' } },
  );
  t.like(
    parameters('/v1/venues/{id}/profile').find((p) => p.name === 'weeks'),
    { schema: { type: 'integer', minimum: 1, maximum: 12, default: 4 } },
  );
  t.like(
    parameters('/v1/crowd-levels').find((p) => p.name === 'from'),
    { schema: { type: 'string' } },
  );
});

test('the subscription request body is documented from the schema the route parses it with', async (t) => {
  const { document } = await servedDocument(t);
  const body = document.components.schemas.SubscriptionRequest;
  t.like(body, { type: 'object', required: ['maxBand', 'webhookUrl'], additionalProperties: false });
  t.like(body.properties.radius, { default: 2000, anyOf: [{ type: 'integer', minimum: 1, maximum: 50_000 }, { type: 'null' }] });
  t.like(body.properties.between.anyOf[0], {
    additionalProperties: false,
    properties: { from: { pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' } },
  });
  t.like(document.components.schemas.Subscription.properties.cooldownMinutes, { type: 'integer', default: 0 });
  t.deepEqual(document.paths['/v1/subscriptions'].post.requestBody.content['application/json'].schema, {
    $ref: '#/components/schemas/SubscriptionRequest',
  });
});

for (const [what, adminApiKey, env] of [
  ['with the admin route', ADMIN_KEY, {}],
  ['with the admin route and /metrics behind its key', ADMIN_KEY, { METRICS_ACCESS: 'admin' }],
  ['without it', null, {}],
] as const) {
  test(`the served document, ${what}, passes Redocly's recommended rules with no error and no warning`, async (t) => {
    const { document } = await servedDocument(t, adminApiKey, env);
    const file = join(scratchDirectory(t), 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    // Exit code 1 means problems; the JSON report says which either way.
    const lint = await run(
      join(root, 'node_modules/.bin/redocly'),
      ['lint', '--config', join(root, 'redocly.yaml'), '--format', 'json', file],
      {
        cwd: root,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      },
    ).catch((error: unknown) => error as { stdout: string });
    const report = JSON.parse(lint.stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string }>;
    };
    t.deepEqual(
      report.problems.map((p) => `${p.ruleId}: ${p.message}`),
      [],
    );
    t.like(report.totals, { errors: 0, warnings: 0 });
  });
}

/** A client as a user would write it against the generated types: a typed GET of any route. */
const CLIENT = `
import type { components, paths } from './api-types';

type Get<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;
type Query<P extends keyof paths> = Get<P> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Ok<P extends keyof paths> = Get<P> extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export async function get<P extends keyof paths>(baseUrl: string, path: P, query: Query<P>): Promise<Ok<P>> {
  const search = new URLSearchParams(Object.entries(query as Record<string, unknown>).map(([name, value]) => [name, String(value)]));
  const response = await fetch(\`\${baseUrl}\${path}?\${search}\`);
  if (!response.ok) throw new Error(\`\${path} answered \${response.status}\`);
  return (await response.json()) as Ok<P>;
}

export async function quietestNear(baseUrl: string, lat: number, lng: number): Promise<string | null> {
  const page = await get(baseUrl, '/v1/crowd-levels', { near: \`\${lat},\${lng}\`, radius: 3000, limit: 1 });
  const first = page.items[0] as components['schemas']['NearbyReading'] | undefined;
  return first === undefined ? null : \`\${first.venueName ?? first.venueId} \${first.bandLabel} \${first.distanceMetres} m\`;
}

export async function malls(baseUrl: string): Promise<string[]> {
  const page = await get(baseUrl, '/v1/venues', { type: 'MALL', active: true, limit: 50 });
  return page.items.map((venue) => \`\${venue.name}, \${venue.postalCode ?? 'no postal code'}\`);
}
`;

function typeErrors(directory: string, file: string): string[] {
  const program = ts.createProgram([join(directory, file)], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    skipLibCheck: true,
    types: [],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

test('TypeScript types generated from the served document (openapi-typescript) type-check a small client, which works against the service', async (t) => {
  const { api, document } = await servedDocument(t);
  const directory = scratchDirectory(t);
  writeFileSync(join(directory, 'api-types.ts'), astToString(await openapiTS(document)));
  writeFileSync(join(directory, 'client.ts'), CLIENT);
  t.deepEqual(typeErrors(directory, 'client.ts'), []);

  await api.venues.save([
    aVenue({ id: 'm1', name: 'Tampines Mall', type: 'MALL' }),
    aVenue({ id: 's1', name: 'FairPrice Bishan', type: 'SUPERMARKET' }),
  ]);
  await api.readings.record([aReading('m1', '2020-08-01T04:00:00Z', 2)]);
  const client = (await import(join(directory, 'client.ts'))) as {
    malls(url: string): Promise<string[]>;
    quietestNear(url: string, lat: number, lng: number): Promise<string | null>;
  };
  t.deepEqual(await client.malls(api.url), ['Tampines Mall, 529510']);
  t.regex((await client.quietestNear(api.url, 1.3526, 103.9447)) ?? '', /^Tampines Mall crowded \d+ m$/);
});

test('the generated types refuse a client that misuses the API', async (t) => {
  const { document } = await servedDocument(t);
  const directory = scratchDirectory(t);
  writeFileSync(join(directory, 'api-types.ts'), astToString(await openapiTS(document)));
  writeFileSync(join(directory, 'client.ts'), CLIENT);
  const misuse = [
    "export const wordy = get('', '/v1/venues', { limit: 'ten' });",
    "export const typo = get('', '/v1/venues', { colour: 'red' });",
    "export const name = get('', '/v1/venues', {}).then((page) => page.items[0]?.nmae);",
  ];
  writeFileSync(join(directory, 'misuse.ts'), [`import { get } from './client';`, ...misuse].join('\n'));
  const errors = typeErrors(directory, 'misuse.ts');
  t.is(errors.length, 3, errors.join('\n'));
  t.regex(errors[0]!, /'string' is not assignable to type 'number'/);
  t.regex(errors[1]!, /'colour' does not exist/);
  t.regex(errors[2]!, /'nmae' does not exist/);
});

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

test("the service's real replies, full and empty pages of every shape, match the schemas the document gives them", async (t) => {
  const { api, document } = await servedDocument(t);
  await api.venues.save([
    aVenue({ id: 'm1', name: 'Tampines Mall', type: 'MALL' }),
    aVenue({ id: 's1', name: 'FairPrice Bishan', type: 'SUPERMARKET' }),
  ]);
  await api.readings.record([aReading('m1', '2020-08-01T04:00:00Z', 2), aReading('s1', '2020-08-01T04:10:00Z', 0)]);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(document as object, 'openapi.json');
  const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  const replies: Array<[url: string, route: string, status: number]> = [
    ['/v1/venues', '/v1/venues', 200],
    ['/v1/venues/m1', '/v1/venues/{id}', 200],
    ['/v1/venues/nope', '/v1/venues/{id}', 404],
    ['/v1/venues/m1/readings', '/v1/venues/{id}/readings', 200],
    ['/v1/venues/m1/profile', '/v1/venues/{id}/profile', 200],
    ['/v1/crowd-levels', '/v1/crowd-levels', 200],
    ['/v1/crowd-levels?from=2020-07-31&to=2020-08-02', '/v1/crowd-levels', 200],
    ['/v1/crowd-levels?from=2019-01-01&to=2019-01-02', '/v1/crowd-levels', 200],
    ['/v1/crowd-levels?near=1.3526,103.9447&radius=50000', '/v1/crowd-levels', 200],
    ['/v1/crowd-levels?near=1.3526,103.9447&radius=1', '/v1/crowd-levels', 200],
    ['/v1/crowd-levels?limit=0', '/v1/crowd-levels', 400],
  ];
  for (const [url, route, status] of replies) {
    const reply = await api.get(url);
    t.is(reply.status, status, url);
    const type = status === 200 ? 'application/json' : 'application/problem+json';
    const schema = { $ref: `openapi.json#/${pointer('paths', route, 'get', 'responses', String(status), 'content', type, 'schema')}` };
    t.true(ajv.validate(schema, reply.body), `${url}: ${ajv.errorsText(ajv.errors)}`);
  }
});

test('the headers a client acts on are documented: Location on a created subscription, Retry-After on a 409 or 429', async (t) => {
  const { document } = await servedDocument(t);
  const paths = (
    document as { paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>> }
  ).paths;
  const headersOf = (path: string, method: string, status: string) => Object.keys(paths[path]?.[method]?.responses[status]?.headers ?? {});
  t.deepEqual(headersOf('/v1/subscriptions', 'post', '201'), ['Location']);
  t.deepEqual(headersOf('/v1/subscriptions', 'post', '429'), ['Retry-After']);
  t.deepEqual(headersOf('/v1/admin/poll', 'post', '409'), ['Retry-After']);
});
