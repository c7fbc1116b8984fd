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

/** Input that is well-formed but refused, naming the field it came in (such as a webhook URL to a private address). */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field}: ${detail}`);
  }
}

/** A secret that does not open what it was presented for. */
export class WrongSecretError extends Error {
  override readonly name = 'WrongSecretError';
}
