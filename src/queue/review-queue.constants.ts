export const REVIEW_QUEUE = 'review';

export enum ReviewJob {
  Run = 'run',
}

export interface ReviewJobData {
  eventId: string;
}
