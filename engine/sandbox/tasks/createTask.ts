import { NextframeError } from '../../../worldmodel/index.ts';
import type { PolicyTask } from './PolicyTask.ts';
import { pushTask } from './pushTask.ts';
import { reachTask } from './reachTask.ts';
import { waypointsTask } from './waypointsTask.ts';

/** The built-in tasks by name, with their default settings. */
export const TASKS: Readonly<Record<string, () => PolicyTask>> = {
  reach: () => reachTask(),
  push: () => pushTask(),
  waypoints: () => waypointsTask(),
};

/** A task by name (`reach`, `push`, `waypoints`), or the task itself. */
export function createTask(task: string | PolicyTask): PolicyTask {
  if (typeof task !== 'string') return task;
  const make = TASKS[task];
  if (!make) throw new NextframeError('bad-task', `createTask: unknown task "${task}"; known: ${Object.keys(TASKS).join(', ')}.`);
  return make();
}
