import { z } from 'zod';
import { parseIsoInstant } from '../../domain/iso-instant.js';
import { invalidParameter } from './problem.js';

/**
 * A route's query string is one zod object: it validates each request and, through
 * `queryParameters`, writes the route's parameters in the OpenAPI document, so the two cannot
 * drift. Each value's schema says in its error what it must be, as the 400 shows it.
 */
export type QuerySchema = z.ZodObject<Record<string, z.ZodType<unknown, string | undefined>>>;

/** What a route that takes no query parameters takes. */
export const NO_PARAMETERS = z.object({});

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

const got = (issue: { input?: unknown }) => `got ${JSON.stringify(issue.input)}`;

/** A whole number written in digits, from `min` to `max`; `unit` follows "a whole number" in the message. */
export function wholeNumber(min: number, max: number, unit = '') {
  const rule = `must be a whole number${unit} from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`;
  return (
    z
      .string()
      .refine((text) => /^\d{1,6}$/.test(text) && Number(text) >= min && Number(text) <= max, {
        error: (issue) => `${rule}, ${got(issue)}`,
      })
      // Never fails after the check above; it makes the value a number and says so in the document.
      .pipe(z.coerce.number<string>().int().min(min).max(max))
  );
}

export const trueOrFalse = () =>
  z.stringbool({ truthy: ['true'], falsy: ['false'], case: 'sensitive', error: (issue) => `must be true or false, ${got(issue)}` });

/** Text, trimmed; empty or longer than `maxLength` is refused. */
export const text = (maxLength = 200) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` });

/** An ISO 8601 instant; a date, or a date-time without an offset, is Singapore time. */
export const instant = () =>
  z.string().transform((value, ctx) => {
    const parsed = parseIsoInstant(value.trim());
    if (!parsed.ok) {
      ctx.issues.push({
        code: 'custom',
        input: value,
        message: `must be an ISO 8601 date or date-time (without an offset: Singapore time), got ${JSON.stringify(value)}`,
      });
      return z.NEVER;
    }
    // Readings are whole milliseconds: rounding a finer bound up to the next one keeps both
    // `from` (inclusive) and `to` (exclusive) selecting exactly the same readings.
    return new Date(parsed.value.instant.getTime() + (parsed.value.finerThanMilliseconds ? 1 : 0));
  });

export const instantExamples = ['2020-08-01', '2020-08-01T12:00', '2020-08-01T04:00:00Z'];

/** `limit` and `cursor`, as every list takes them. */
export const PAGING = {
  limit: wholeNumber(1, MAX_LIMIT).default(DEFAULT_LIMIT).meta({ description: 'Items per page.' }),
  cursor: z.string().optional().meta({ description: 'The `nextCursor` of the previous page, with the same filters.' }),
};

/**
 * The query string checked against the route's schema: names it does not take (a typo such as
 * `form=` would otherwise be silently ignored) and names given twice are refused, then the
 * first value at fault is a 400 naming it.
 */
export function parseQuery<S extends QuerySchema>(schema: S, querystring: string): z.output<S> {
  const values: Record<string, string> = {};
  if (querystring !== '') {
    for (const [name, value] of new URLSearchParams(querystring)) {
      if (!Object.hasOwn(schema.shape, name)) throw unknownParameter(schema, name);
      if (Object.hasOwn(values, name)) throw invalidParameter(name, 'given more than once');
      values[name] = value;
    }
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  // A failed parse always has an issue; its path is the parameter's name.
  const [issue] = parsed.error.issues;
  throw invalidParameter(String(issue?.path[0]), issue?.message ?? parsed.error.message);
}

function unknownParameter(schema: QuerySchema, name: string) {
  const names = Object.keys(schema.shape);
  return invalidParameter(
    name,
    names.length === 0 ? 'this route takes no query parameters' : `unknown parameter; this route takes ${names.join(', ')}`,
  );
}

type JsonSchema = Record<string, unknown>;

/** The route's query parameters as OpenAPI Parameter Objects, generated from its schema. */
export function queryParameters(schema: QuerySchema): object[] {
  const output = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as { properties?: Record<string, JsonSchema> };
  const input = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.keys(schema.shape).map((name) => {
    const typed = output.properties?.[name] ?? {};
    // A value parsed into something JSON Schema cannot say (an instant, a point) is text on the wire.
    const { description, ...fieldSchema } = 'type' in typed ? typed : { ...input.properties?.[name], ...typed };
    return {
      name,
      in: 'query',
      required: input.required?.includes(name) ?? false,
      ...(description === undefined ? {} : { description }),
      schema: fieldSchema,
    };
  });
}

/** The `:id` segment of a route that declares one (the router matched it, so it is there; '' would be refused as an id anyway). */
export function pathId(params: Readonly<Record<string, string>>): string {
  return params['id'] ?? '';
}
