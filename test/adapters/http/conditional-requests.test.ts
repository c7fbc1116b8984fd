import test from 'ava';
import { aReading, aVenue } from '../../support/builders.js';
import { startHarness } from '../../support/http-harness.js';

/** What the client saw on its first GET: the reply's ETag (weak, `W/"…"`) and Last-Modified. */
interface Seen {
  readonly etag: string;
  readonly lastModified: string;
}

const cases: Array<[string, (seen: Seen) => Record<string, string>, number]> = [
  [
    'If-None-Match listing our tag among others answers 304',
    ({ etag }) => ({ 'if-none-match': `W/"someone-elses", ${etag}, "another"` }),
    304,
  ],
  ['If-None-Match: * answers 304', () => ({ 'if-none-match': '*' }), 304],
  [
    'If-None-Match with our tag without its W/ prefix answers 304: the comparison is weak',
    ({ etag }) => ({ 'if-none-match': etag.replace(/^W\//, '') }),
    304,
  ],
  ['If-None-Match listing only other tags answers 200 with the data', () => ({ 'if-none-match': 'W/"stale", "older"' }), 200],
  [
    'If-None-Match with a stale tag answers 200 even with an If-Modified-Since that alone would answer 304',
    ({ lastModified }) => ({ 'if-none-match': 'W/"stale"', 'if-modified-since': lastModified }),
    200,
  ],
];

for (const [name, headers, status] of cases) {
  test(name, async (t) => {
    const harness = await startHarness();
    t.teardown(() => harness.close());
    await harness.venues.save([aVenue({ id: 'a1' })]);
    await harness.readings.record([aReading('a1', '2020-08-01T04:00:00Z', 2)]);
    const first = await harness.get('/v1/crowd-levels');
    const seen = { etag: first.headers.get('etag')!, lastModified: first.headers.get('last-modified')! };
    t.regex(seen.etag, /^W\/".+"$/);

    const again = await harness.get('/v1/crowd-levels', headers(seen));

    t.is(again.status, status);
    if (status === 200) t.deepEqual(again.body, first.body);
  });
}
