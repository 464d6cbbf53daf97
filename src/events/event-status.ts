export enum EventStatus {
  /** Verified and logged; not reviewed (push, ping, other actions, drafts). */
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
