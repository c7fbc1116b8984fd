import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { InvalidInputError, NotFoundError, PollInProgressError, UpstreamError, WrongSecretError } from '../../../domain/errors.js';
import { HttpProblem, invalidField, problem, problemBody } from '../problem.js';

const POLL_RETRY_AFTER_SECONDS = 15;

/**
 * Turns every failure into application/problem+json: known errors to their status, bad input
 * to 4xx, and anything else to a logged 500 that leaks nothing.
 */
export function problemResponses(logger: Logger): Middleware {
  return async function problemResponses(ctx, next) {
    let failure: HttpProblem | null = null;
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) failure = problem('not-found', `no route matches ${ctx.method} ${ctx.path}`);
      if (ctx.status === 405)
        failure = problem('method-not-allowed', `${ctx.method} is not allowed here; allowed: ${ctx.response.get('Allow')}`);
    } catch (error) {
      failure = toProblem(error);
      if (failure.status >= 500 && failure.slug === 'internal-error') {
        logger.error({ err: error, requestId: ctx.state['requestId'] }, 'unhandled error');
      }
    }
    if (failure === null) return;
    ctx.status = failure.status;
    ctx.set(failure.headers);
    ctx.type = 'application/problem+json';
    ctx.body = problemBody(failure);
  };
}

function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof NotFoundError) return problem('not-found', error.message);
  // A poll takes seconds; the next attempt after that finds it done.
  if (error instanceof PollInProgressError)
    return problem('poll-in-progress', error.message, {}, { 'Retry-After': String(POLL_RETRY_AFTER_SECONDS) });
  if (error instanceof UpstreamError) return problem('upstream-failed', error.message);
  if (error instanceof InvalidInputError) return invalidField(error.field, error.detail);
  if (error instanceof WrongSecretError)
    return problem('unauthorized', error.message, {}, { 'WWW-Authenticate': 'Bearer realm="subscription", error="invalid_token"' });
  if (error instanceof URIError) return problem('invalid-parameter', 'the URL has malformed percent-encoding', { parameter: 'url' });
  return problem('internal-error', 'something went wrong on our side; it has been logged');
}
