/** Raised when the upstream cannot be read or sends something unusable as a whole. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
}

/** Raised when a poll is asked for while another one runs. */
export class PollInProgressError extends Error {
  override readonly name = 'PollInProgressError';
  constructor(
    message = 'a poll is already running',
    /**
     * True when the poll that holds the lease stopped renewing it: its process has most likely
     * died, and polls wait until the lease expires. Worth a warning, unlike an ordinary overlap.
     */
    readonly staleLease = false,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}
