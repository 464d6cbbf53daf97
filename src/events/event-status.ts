export enum EventStatus {
  /** Verified and logged; not reviewed (push, ping, other actions, comments that are no command). */
  Received = 'received',
  /** Stored and queued for review. */
  Pending = 'pending',
  Processing = 'processing',
  Completed = 'completed',
  /** Every attempt failed; `error` says why. */
  Failed = 'failed',
  /** A newer head SHA of the same pull request arrived before this one ran. */
  Superseded = 'superseded',
}

export const EVENT_STATUSES = Object.values(EventStatus);

/**
 * How the note of a `completed` event that was skipped (.nectr.yml, a paused PR) begins: such an
 * event reviewed nothing, so its head is no base for the next incremental review.
 */
export const NOT_REVIEWED_NOTE = 'Not reviewed:';
