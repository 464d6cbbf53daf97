import { Event } from '../events/event.entity.js';
import { Installation } from '../installations/installation.entity.js';
import { Session } from '../sessions/session.entity.js';

export const entities: Function[] = [Installation, Event, Session];
