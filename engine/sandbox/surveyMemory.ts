import type { Survey } from '../../worldmodel/WorldModel.ts';
import { rgbToFrame } from '../../worldmodel/frames.ts';
import type { Pose } from '../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../worldmodel/index.ts';
import { buildPhysicsWorld, type CameraIntrinsics, isClear, ProxyDepth, type RapierModule, type SceneDescription, standingObstacles } from '../runtime/index.ts';
import type { GroundTruthRenderer } from './groundtruth/GroundTruthRenderer.ts';

export interface SurveyOptions {
  /** Standing points per side of the grid over the spawn area. Default 4 (16 points, less those against obstacles). */
  grid?: number;
  /** Headings looked at from each point, evenly spaced. Default 8 (45° apart; the view is 70° wide). */
  headings?: number;
  /** Skip a point closer than this to an obstacle's footprint, metres. Default 0.8. */
  clearance?: number;
  /** Camera height above the floor, metres (the character's eye). Default 1.6. */
  eyeHeight?: number;
}

/** Real views of the static scene with their proxy depth: what a world model's spatial memory can start from (`WorldModel.reset`'s `survey`). */
export type { Survey };

/**
 * Where a survey looks from: a grid of standing points over the scene's spawn area (points
 * inside or against obstacles skipped), each turning through evenly spaced headings at eye
 * height, level. Deterministic: the same scene gives the same poses.
 */
export function surveyPoses(scene: SceneDescription, options: SurveyOptions = {}): Pose[] {
  const grid = options.grid ?? 4;
  const headings = options.headings ?? 8;
  const clearance = options.clearance ?? 0.8;
  const eye = options.eyeHeight ?? 1.6;
  if (!Number.isInteger(grid) || grid < 1 || !Number.isInteger(headings) || headings < 1) {
    throw new NextframeError('bad-options', `surveyPoses: grid and headings must be positive integers, found grid ${grid}, headings ${headings}.`);
  }
  const { spawn } = scene;
  const obstacles = standingObstacles(scene.statics, spawn.floorY);
  // Cell centres, so the points sit inside the area rather than against its walls.
  const at = (min: number, max: number, i: number): number => min + ((i + 0.5) / grid) * (max - min);
  const poses: Pose[] = [];
  for (let i = 0; i < grid; i++) {
    for (let j = 0; j < grid; j++) {
      const x = at(spawn.minX, spawn.maxX, i);
      const z = at(spawn.minZ, spawn.maxZ, j);
      if (!isClear(obstacles, x, z, clearance)) continue;
      for (let h = 0; h < headings; h++) poses.push({ x, y: spawn.floorY + eye, z, yaw: -Math.PI + (2 * Math.PI * h) / headings, pitch: 0 });
    }
  }
  return poses;
}

/**
 * Render a survey of the static scene (no dynamic objects, as every training frame was
 * recorded) through the ground-truth renderer, with proxy depth from a physics world of the
 * statics only. One render call for all poses.
 */
export async function renderSurvey(
  renderer: GroundTruthRenderer,
  scene: SceneDescription,
  rapier: RapierModule,
  camera: CameraIntrinsics,
  poses: readonly Pose[],
): Promise<Survey> {
  const { width, height } = renderer;
  const images = poses.length === 0 ? [] : await renderer.render(poses.map((pose) => ({ pose, objects: [] })));
  const physics = buildPhysicsWorld({ ...scene, dynamics: [] }, rapier);
  try {
    const proxy = new ProxyDepth(physics, { width, height, camera });
    return {
      frames: images.map((rgb) => rgbToFrame(rgb, width, height)),
      views: poses.map((pose) => ({ pose: { ...pose }, depth: proxy.render(pose) })),
    };
  } finally {
    physics.dispose();
  }
}
