import test from 'ava';
import { contentSecurityPolicy } from '../../../adapters/http/web-page.js';
import { startHarness } from '../../support/http-harness.js';

const OSM = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

async function withPage(t: { teardown(fn: () => Promise<void>): void }, tileUrl: string | null = OSM) {
  const api = await startHarness({
    page: {
      tileUrl,
      tileAttribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
      refreshSeconds: 30,
    },
  });
  t.teardown(() => api.close());
  return api;
}

test('GET / is the page, with the tile settings and the band names rendered in', async (t) => {
  const api = await withPage(t);
  const { status, headers, body } = await api.get('/');
  t.is(status, 200);
  t.is(headers.get('content-type'), 'text/html; charset=utf-8');
  const meta = (name: string) => new RegExp(`<meta name="${name}" content="([^"]*)"`).exec(body)?.[1];
  t.is(meta('map-tile-url'), 'https://tile.openstreetmap.org/{z}/{x}/{y}.png');
  t.true(
    body.includes(
      'content="&#38;copy; &#60;a href=&#34;https://www.openstreetmap.org/copyright&#34;&#62;OpenStreetMap&#60;/a&#62; contributors"',
    ),
    'the attribution is escaped into its attribute',
  );
  t.is(meta('refresh-seconds'), '30');
  for (const label of ['not crowded', 'moderately crowded', 'crowded', 'very crowded'])
    t.true(body.includes(`data-label="${label}"`), label);
  t.false(body.includes('{{'), 'no placeholder left');
});

test('the page has its own Content-Security-Policy naming the tile host, and the API keeps default-src none', async (t) => {
  const api = await withPage(t);
  t.is(
    (await api.get('/')).headers.get('content-security-policy'),
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: https://tile.openstreetmap.org; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  );
  t.is(
    (await api.get('/')).headers.get('referrer-policy'),
    'strict-origin-when-cross-origin',
    'tile servers want to know the referring site',
  );
  t.is((await api.get('/v1/venues')).headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'");
  t.is((await api.get('/v1/venues')).headers.get('referrer-policy'), 'no-referrer');
});

test('a tile template with {s} allows any first label of its host; without tiles only this origin', (t) => {
  t.regex(contentSecurityPolicy('https://{s}.tile.example.org/{z}/{x}/{y}.png'), /img-src 'self' data: https:\/\/\*\.tile\.example\.org;/);
  t.regex(contentSecurityPolicy('http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png'), /img-src 'self' data: http:\/\/127\.0\.0\.1:8080;/);
  t.regex(contentSecurityPolicy(null), /img-src 'self' data:;/);
});

test('the page files come from the repository and the leaflet package, revalidated by ETag', async (t) => {
  const api = await withPage(t);
  for (const [path, type] of [
    ['/page/app.js', 'text/javascript'],
    ['/page/style.css', 'text/css'],
    ['/page/vendor/leaflet.js', 'text/javascript'],
    ['/page/vendor/leaflet.css', 'text/css'],
    ['/page/favicon.svg', 'image/svg+xml'],
  ] as const) {
    const reply = await api.get(path);
    t.is(reply.status, 200, path);
    t.true(reply.headers.get('content-type')!.startsWith(type), path);
    t.is(reply.headers.get('cache-control'), 'no-cache', path);
    const again = await api.get(path, { 'If-None-Match': reply.headers.get('etag')! });
    t.is(again.status, 304, path);
  }
  t.regex((await api.get('/page/vendor/leaflet.js')).body, /Leaflet 1\.9\.4/);
});

test('nothing else is served under /page/: not the type declarations, not a path outside web/', async (t) => {
  const api = await withPage(t);
  for (const path of [
    '/page/api-types.d.ts',
    '/page/index.html',
    '/page/../package.json',
    '/page/%2e%2e/package.json',
    '/page/vendor/leaflet-src.js',
    '/page/nope.js',
  ]) {
    const { status, headers } = await api.get(path);
    t.is(status, 404, path);
    t.is(headers.get('content-type'), 'application/problem+json', path);
  }
});

test('the page opens from a link with a query string, and a POST to it is a 405', async (t) => {
  const api = await withPage(t);
  const shared = await api.get('/?utm_source=newsletter');
  t.is(shared.status, 200);
  t.is(shared.headers.get('content-type'), 'text/html; charset=utf-8');
  const posted = await api.post('/');
  t.is(posted.status, 405);
  t.regex(posted.headers.get('allow') ?? '', /GET/);
});
