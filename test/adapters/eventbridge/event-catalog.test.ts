import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { EVENT_SOURCE_PREFIX } from '../../../cloudformation/events.js';
import { catalogName, DETAIL_TYPES, EVENT_SOURCE, toEnvelope } from '../../../adapters/eventbridge/event-envelope.js';
import type { DomainEvent } from '../../../domain/events.js';
import { SAMPLE_EVENTS } from './sample-events.js';

const CATALOG = new URL('../../../events/', import.meta.url);
const EVENT_TYPES = Object.keys(DETAIL_TYPES) as DomainEvent['type'][];

// ajv-formats is CommonJS; under NodeNext its default export arrives as the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(file, CATALOG), 'utf8')) as Record<string, unknown>;
}

function validatorOf(type: DomainEvent['type']) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readJson(`${catalogName(type)}.schema.json`));
}

test('every domain event type has a schema and an example in the catalog', (t) => {
  for (const type of EVENT_TYPES) {
    t.true(existsSync(new URL(`${catalogName(type)}.schema.json`, CATALOG)), `${type} has no schema`);
    t.true(existsSync(new URL(`${catalogName(type)}.example.json`, CATALOG)), `${type} has no example`);
  }
});

test('the catalog holds no schema or example of an event the service does not publish', (t) => {
  const names = new Set(EVENT_TYPES.map(catalogName));
  const strays = readdirSync(CATALOG).filter((file) => file.endsWith('.json') && !names.has(file.replace(/\.(schema|example)\.json$/, '')));
  t.deepEqual(strays, []);
});

for (const type of EVENT_TYPES) {
  test(`the ${DETAIL_TYPES[type]} schema compiles as strict JSON Schema 2020-12 and forbids unknown fields`, (t) => {
    const schema = readJson(`${catalogName(type)}.schema.json`);
    t.is(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    t.is(schema['additionalProperties'], false);
    t.notThrows(() => validatorOf(type));
  });

  test(`the ${DETAIL_TYPES[type]} example's detail validates against its schema`, (t) => {
    const validate = validatorOf(type);
    const example = readJson(`${catalogName(type)}.example.json`);
    t.true(validate(example['detail']), JSON.stringify(validate.errors));
  });

  test(`the ${DETAIL_TYPES[type]} example is a whole EventBridge event with this event's source and detail-type`, (t) => {
    const example = readJson(`${catalogName(type)}.example.json`);
    t.deepEqual(Object.keys(example), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    t.like(example, { version: '0', 'detail-type': DETAIL_TYPES[type], source: EVENT_SOURCE, resources: [] });
  });

  test(`the ${DETAIL_TYPES[type]} example shows exactly what toEnvelope makes of the sample event`, (t) => {
    const example = readJson(`${catalogName(type)}.example.json`);
    t.deepEqual(example['detail'], toEnvelope(SAMPLE_EVENTS[type]).detail);
  });

  test(`toEnvelope of a ${type} gives a detail that validates against its schema`, (t) => {
    const validate = validatorOf(type);
    const envelope = toEnvelope(SAMPLE_EVENTS[type]);
    t.is(envelope.detailType, DETAIL_TYPES[type]);
    t.true(validate(envelope.detail), JSON.stringify(validate.errors));
  });
}

test('a detail with a field the schema does not know is refused', (t) => {
  const validate = validatorOf('ReadingRecorded');
  t.false(validate({ ...toEnvelope(SAMPLE_EVENTS.ReadingRecorded).detail, surprise: true }));
});

test('a detail with a local time instead of UTC is refused', (t) => {
  const validate = validatorOf('BandChanged');
  t.false(validate({ ...toEnvelope(SAMPLE_EVENTS.BandChanged).detail, observedAt: '2020-08-01T12:50:00+08:00' }));
});

test('the event source is matched by the bus archive and log rule', (t) => {
  t.true(EVENT_SOURCE.startsWith(EVENT_SOURCE_PREFIX));
});

test('the catalog README lists every event with its detail-type, schema and example', (t) => {
  const readme = readFileSync(new URL('README.md', CATALOG), 'utf8');
  for (const type of EVENT_TYPES) {
    t.true(readme.includes(`\`${DETAIL_TYPES[type]}\``), `${DETAIL_TYPES[type]} missing`);
    t.true(readme.includes(`(${catalogName(type)}.schema.json)`), `${type} schema link missing`);
    t.true(readme.includes(`(${catalogName(type)}.example.json)`), `${type} example link missing`);
  }
});
