/** Raised when the upstream cannot be read or sends something unusable as a whole. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
}

/** Raised when a poll is asked for while another one runs. */
export class PollInProgressError extends Error {
  override readonly name = 'PollInProgressError';
  constructor() {
    super('a poll is already running');
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
