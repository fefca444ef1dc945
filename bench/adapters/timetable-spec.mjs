/** timetable with JSON trigger specs, a new object per job (see timetable.mjs). */
import { onPath } from './timetable.mjs';

export const info = { label: 'timetable (JSON spec)', package: null };
export const create = onPath('spec');
