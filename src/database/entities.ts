import { Installation } from '../installations/installation.entity.js';

export const entities: Function[] = [Installation];
