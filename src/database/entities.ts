import { Event } from '../events/event.entity.js';
import { Installation } from '../installations/installation.entity.js';
import { PullRequestPause } from '../pr-commands/pull-request-pause.entity.js';

export const entities: Array<new () => object> = [Installation, Event, PullRequestPause];
