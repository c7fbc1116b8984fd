import test from 'ava';
import { ADMIN_KEY, startHarness } from '../../support/http-harness.js';
import { createRouter } from '../../../adapters/http/routes.js';

/** The routes the router really has, as OpenAPI path + method pairs. */
function routerOperations(): string[] {
  const router = createRouter({ adminApiKey: ADMIN_KEY, cursorSecret: 'x' } as Parameters<typeof createRouter>[0]);
  return router.stack
    .flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => `${method.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`))
    .sort();
}

test('the OpenAPI document lists exactly the routes the router serves', async (t) => {
  const api = await startHarness();
  t.teardown(() => api.close());
  const { status, body } = await api.get('/openapi.json');
  t.is(status, 200);
  const documented = Object.entries(body.paths as Record<string, object>).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`)).sort();
  t.deepEqual(documented, routerOperations());
});

test('the OpenAPI document is version 3 and names every problem type', async (t) => {
  const api = await startHarness();
  t.teardown(() => api.close());
  const { body } = await api.get('/openapi.json');
  t.regex(body.openapi, /^3\./);
  const types: string[] = body.components.schemas.Problem.properties.type.enum;
  for (const slug of ['invalid-parameter', 'not-found', 'rate-limited', 'body-not-allowed', 'uri-too-long']) {
    t.true(types.includes(`https://spaceout-crowd.dev/problems/${slug}`), slug);
  }
  t.regex(body.info.description, /429/);
});
