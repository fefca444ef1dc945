/** timetable with a trigger instance built per job, as the README shows (see timetable.mjs). */
import { onPath } from './timetable.mjs';

export const info = { label: 'timetable (trigger instance)', package: null };
export const create = onPath('instance');
