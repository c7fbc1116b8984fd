import { z } from 'zod';
import { DEFAULT_PROFILE_WEEKS, MAX_PROFILE_WEEKS } from '../../application/use-cases/venue-profile.js';
import { checkNearbyRelations, NEARBY_PARAMETERS } from './nearby-parameters.js';
import { instant, instantExamples, PAGING, text, trueOrFalse, wholeNumber } from './query-parameters.js';

/** Each route's query string, for the router to parse and for the OpenAPI document to show. */

export const VENUES_QUERY = z.object({
  type: text().toUpperCase().optional().meta({ description: 'Venue type, case-insensitive (MALL, SUPERMARKET, …).' }),
  q: text().optional().meta({ description: 'Case-insensitive substring of name or address.' }),
  active: trueOrFalse().optional().meta({ description: 'false: venues that vanished upstream.' }),
  ...PAGING,
});

const SINGAPORE_TIME = 'ISO 8601; a date or a date-time without an offset is Singapore time (UTC+08:00).';

export const READINGS_QUERY = z
  .object({
    from: instant()
      .optional()
      .meta({ description: `Earliest instant, inclusive. ${SINGAPORE_TIME}`, examples: instantExamples }),
    to: instant()
      .optional()
      .meta({ description: `Latest instant, exclusive. ${SINGAPORE_TIME}`, examples: instantExamples }),
    ...PAGING,
  })
  .superRefine(({ from, to }, ctx) => {
    if (from !== undefined && to !== undefined && from.getTime() >= to.getTime())
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
  });

export const PROFILE_QUERY = z.object({
  weeks: wholeNumber(1, MAX_PROFILE_WEEKS)
    .default(DEFAULT_PROFILE_WEEKS)
    .meta({ description: 'How many weeks back, today included: the 7·weeks Singapore days ending today.' }),
});

export const CROWD_LEVELS_QUERY = z
  .object({
    from: instant()
      .optional()
      .meta({ description: `Start of the range, inclusive; requires to. ${SINGAPORE_TIME}`, examples: instantExamples }),
    to: instant()
      .optional()
      .meta({ description: `End of the range, exclusive; requires from. ${SINGAPORE_TIME}`, examples: instantExamples }),
    ...NEARBY_PARAMETERS,
    ...PAGING,
  })
  .superRefine((query, ctx) => {
    const { from, to, near } = query;
    checkNearbyRelations(query, ctx);
    if (near !== undefined && (from !== undefined || to !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [from === undefined ? 'to' : 'from'],
        message: 'cannot be combined with near: nearby is about the latest readings',
      });
    } else if (from === undefined && to !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required when to is given' });
    } else if (from !== undefined && to === undefined) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required when from is given' });
    } else if (from !== undefined && to !== undefined && from.getTime() >= to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be later than from' });
    }
  });
