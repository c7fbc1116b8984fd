/** What one poll saw and did; returned by the poll, published with its completion. */
export interface PollSummary {
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly venues: {
    readonly seen: number;
    readonly added: number;
    readonly updated: number;
    readonly deactivated: number;
    readonly rejected: number;
  };
  readonly readings: {
    readonly seen: number;
    readonly stored: number;
    readonly duplicate: number;
    readonly rejected: number;
    /** Stored readings of ids missing from the facility list. */
    readonly orphan: number;
  };
  /** Why records were refused, one line each, so an operator can see what upstream sent. */
  readonly rejections: readonly string[];
}
