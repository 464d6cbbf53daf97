import { Event } from '../events/event.entity.js';
import { Installation } from '../installations/installation.entity.js';

export const entities: Function[] = [Installation, Event];
