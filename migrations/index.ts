// Every migration, in order. Listed explicitly rather than globbed so the same list loads from
// TypeScript under jest and from dist/ in production.
import type { MigrationInterface } from 'typeorm';
import { CreateInstallations1795770000000 } from './1795770000000-CreateInstallations.js';
import { CreateEvents1795770100000 } from './1795770100000-CreateEvents.js';
import { EventsOutbox1795770200000 } from './1795770200000-EventsOutbox.js';
import { CompactEvents1795770300000 } from './1795770300000-CompactEvents.js';
import { PostingLease1795770400000 } from './1795770400000-PostingLease.js';
import { PostingLeaseHolder1795770500000 } from './1795770500000-PostingLeaseHolder.js';
import { EventNote1795770600000 } from './1795770600000-EventNote.js';
import { CreateSessions1795771000000 } from './1795771000000-CreateSessions.js';
import { PullRequestPauses1795771100000 } from './1795771100000-PullRequestPauses.js';
import { StatsIndexes1795771200000 } from './1795771200000-StatsIndexes.js';
import { EventTypeIndex1795771300000 } from './1795771300000-EventTypeIndex.js';
import { CommandReviewedHead1795771400000 } from './1795771400000-CommandReviewedHead.js';
import { PostingEndedAt1795771500000 } from './1795771500000-PostingEndedAt.js';
import { ResolvedFindings1795771600000 } from './1795771600000-ResolvedFindings.js';
import { PendingSecret1795771700000 } from './1795771700000-PendingSecret.js';
import { ReviewedScope1795771800000 } from './1795771800000-ReviewedScope.js';
import { PullRequestEventsIndex1795771900000 } from './1795771900000-PullRequestEventsIndex.js';

export const migrations: Array<new () => MigrationInterface> = [
  CreateInstallations1795770000000,
  CreateEvents1795770100000,
  EventsOutbox1795770200000,
  CompactEvents1795770300000,
  PostingLease1795770400000,
  PostingLeaseHolder1795770500000,
  EventNote1795770600000,
  CreateSessions1795771000000,
  PullRequestPauses1795771100000,
  StatsIndexes1795771200000,
  EventTypeIndex1795771300000,
  CommandReviewedHead1795771400000,
  PostingEndedAt1795771500000,
  ResolvedFindings1795771600000,
  PendingSecret1795771700000,
  ReviewedScope1795771800000,
  PullRequestEventsIndex1795771900000,
];
