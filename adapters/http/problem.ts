/** RFC 9457 problem details; `slug` names the problem type documented in the OpenAPI document. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}

export const PROBLEM_BASE_URI = 'https://spaceout-crowd.dev/problems/';

/** Every problem the API answers, for the OpenAPI document and the tests. */
export const PROBLEM_TYPES = {
  'invalid-parameter': { status: 400, title: 'Invalid query parameter' },
  'invalid-body': { status: 400, title: 'Invalid request body' },
  unauthorized: { status: 401, title: 'Missing or wrong bearer token' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'poll-in-progress': { status: 409, title: 'A poll is already running' },
  'body-not-allowed': { status: 413, title: 'Request bodies are not accepted' },
  'body-too-large': { status: 413, title: 'Request body too large' },
  'uri-too-long': { status: 414, title: 'URL too long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'internal-error': { status: 500, title: 'Internal error' },
  'upstream-failed': { status: 502, title: 'The upstream could not be polled' },
  'not-ready': { status: 503, title: 'The store does not answer' },
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export function problem(
  slug: ProblemSlug,
  detail: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): HttpProblem {
  const { status, title } = PROBLEM_TYPES[slug];
  return new HttpProblem(status, slug, title, detail, extensions, headers);
}

export function invalidParameter(parameter: string, detail: string): HttpProblem {
  return problem('invalid-parameter', `${parameter}: ${detail}`, { parameter });
}

export function invalidField(field: string, detail: string): HttpProblem {
  return problem('invalid-body', `${field}: ${detail}`, { field });
}

export function problemBody(p: HttpProblem): Record<string, unknown> {
  return { type: `${PROBLEM_BASE_URI}${p.slug}`, title: p.title, status: p.status, detail: p.detail, ...p.extensions };
}
