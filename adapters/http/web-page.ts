import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { BAND_LABELS } from '../../domain/band.js';

/** What the page needs from the settings. */
export interface PageSettings {
  /** A `{z}/{x}/{y}` tile URL template; null = no tiles, a plain background. */
  readonly tileUrl: string | null;
  /** HTML shown for the tiles' licence. */
  readonly tileAttribution: string;
  /** How often the page asks for fresh data (each unchanged answer is a 304). */
  readonly refreshSeconds: number;
}

/** The prefix of the page's own files; everything else under it is a 404. */
export const PAGE_ASSETS = '/page/';

/** The page and its files: cheap to revalidate, so always revalidated. */
export const isPagePath = (path: string): boolean => path === '/' || path.startsWith(PAGE_ASSETS);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
} as const;
const typeOf = (name: string): string | undefined => (TYPES as Readonly<Record<string, string>>)[extname(name)];

interface PageFile {
  readonly type: string;
  readonly text: string;
}

/**
 * `GET /` and the files it loads, read once from `web/` and from the leaflet package: the page
 * needs no CDN and no build step. Each file is its own route, so a typo is a plain 404 and
 * nothing outside these files can ever be served.
 */
export function createPageRouter(settings: PageSettings): Router {
  const router = new Router();
  const webDirectory = findWebDirectory();
  const files = new Map<string, PageFile>();
  for (const name of readdirSync(webDirectory)) {
    const type = typeOf(name);
    if (type !== undefined && name !== 'index.html')
      files.set(`${PAGE_ASSETS}${name}`, { type, text: readFileSync(join(webDirectory, name), 'utf8') });
  }
  const leaflet = createRequire(import.meta.url);
  for (const [name, type] of [
    ['leaflet.js', TYPES['.js']],
    ['leaflet.css', TYPES['.css']],
  ] as const) {
    files.set(`${PAGE_ASSETS}vendor/${name}`, {
      type,
      text: readFileSync(leaflet.resolve(`leaflet/dist/${name}`), 'utf8'),
    });
  }
  const index = renderIndex(readFileSync(join(webDirectory, 'index.html'), 'utf8'), settings);
  const policy = contentSecurityPolicy(settings.tileUrl);

  // Unlike the API, the page ignores query strings: links shared with tracking or cache-busting
  // parameters must still open it.
  router.get('/', (ctx) => {
    ctx.set('Content-Security-Policy', policy);
    // Tile servers such as OpenStreetMap's refuse requests that name no referring site.
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.type = TYPES['.html'];
    ctx.body = index;
  });
  for (const [path, file] of files) {
    router.get(path, (ctx) => {
      ctx.type = file.type;
      ctx.body = file.text;
    });
  }
  return router;
}

/**
 * Only this origin, plus the tile host for images; no inline script or style anywhere. Leaflet
 * cancels a tile it no longer needs by pointing it at a data: image, hence data: for images.
 */
export function contentSecurityPolicy(tileUrl: string | null): string {
  const images = tileUrl === null ? "'self' data:" : `'self' data: ${tileSource(tileUrl)}`;
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src ${images}; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/** The tile template's scheme and host, `{s}` as a wildcard label (the settings allow it only first). */
function tileSource(tileUrl: string): string {
  // The settings accepted only http(s) URLs with a host, so the pattern matches.
  const [, scheme = '', host = ''] = /^(https?:\/\/)([^/]+)/.exec(tileUrl) ?? [];
  return `${scheme}${host.replace(/^[^.]*\{s\}[^.]*/, '*')}`;
}

function renderIndex(template: string, settings: PageSettings): string {
  const legend = Object.entries(BAND_LABELS)
    .map(
      ([band, label]) =>
        `<li data-band="${band}" data-label="${escapeHtml(label)}"><span class="band-mark band-${band}" aria-hidden="true"></span> ${escapeHtml(label)} <span class="band-count"></span></li>`,
    )
    .join('\n          ');
  const values: Record<string, string> = {
    tileUrl: escapeHtml(settings.tileUrl ?? 'none'),
    tileAttribution: escapeHtml(settings.tileAttribution),
    refreshSeconds: String(settings.refreshSeconds),
    bandLegend: legend,
  };
  return template.replace(/\{\{(\w+)\}\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `web/` at the project root, from here in the sources or in the compiled `dist/`. */
function findWebDirectory(): string {
  for (let directory = dirname(fileURLToPath(import.meta.url)); ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'web', 'index.html'))) return join(directory, 'web');
    if (dirname(directory) === directory)
      throw new Error('web/index.html not found above adapters/http: the page files must ship with the service');
  }
}
