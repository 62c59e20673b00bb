import type { Pose } from '../../../worldmodel/index.ts';

/** Headings of the plug-in's survey (`survey: true`): 45° apart, so the 70° views overlap. */
export const DEFAULT_SURVEY_HEADINGS = 8;

/**
 * The poses a survey from `pose` looks from: the same place, level, turned through `headings`
 * evenly spaced headings starting at the pose's own, less that first one (the start view, which
 * the model is reset with anyway). The plug-in renders these before play; a geometry-only
 * re-render that should start from the same real views uses the same poses.
 */
export function surveyHeadings(pose: Readonly<Pose>, headings: number): Pose[] {
  return Array.from({ length: Math.max(0, headings - 1) }, (_, i) => ({ x: pose.x, y: pose.y, z: pose.z, yaw: pose.yaw + (2 * Math.PI * (i + 1)) / headings, pitch: 0 }));
}
