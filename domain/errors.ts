/** Raised when the upstream cannot be read or sends something unusable as a whole. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
}

/** Raised when a poll is asked for while another one runs. */
export class PollInProgressError extends Error {
  override readonly name = 'PollInProgressError';
  constructor(message = 'a poll is already running') {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
