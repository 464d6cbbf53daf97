import { Event } from '../events/event.entity.js';
import { Installation } from '../installations/installation.entity.js';
import { PullRequestPause } from '../pr-commands/pull-request-pause.entity.js';
import { ResolvedFinding } from '../review/findings/resolved-finding.entity.js';
import { Session } from '../sessions/session.entity.js';

export const entities: Array<new () => object> = [Installation, Event, Session, PullRequestPause, ResolvedFinding];
