import RAPIER from '@dimforge/rapier3d-compat';
import { type ModelManifest, rgbToFrame, type View } from '../../../../worldmodel/index.ts';
import { fromFloat16Array } from '../../../../worldmodel/dataset/npy.ts';
import type { Episode } from '../../../capture/index.ts';
import { arenaScene, buildPhysicsWorld, ProxyDepth } from '../../../runtime/index.ts';
import { headingAxes } from '../../../../worldmodel/geometry/heading.ts';
import type { Pose } from '../../../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../../../worldmodel/errors.ts';

/** Start frames and views for a model that needs to know where the camera is. */
export interface ViewRollout {
  /** The last K frames of the episode's opening, oldest first, CHW in [−1, 1]. */
  frames: Float32Array[];
  /** Their views (pose + proxy depth), aligned with `frames`. */
  views: View[];
  /** The view after applying `action` to the previous one: pose moved, proxy depth ray-cast. */
  next(action: Readonly<Record<string, number>>): View;
  dispose(): void;
}

/**
 * Views for `nextframe sample` on a model with memory or depth streams: it starts from the
 * first K frames of a recorded episode (their poses and proxy depth) and moves the camera by
 * the action each tick, as the action vector defines it (metres along the camera's heading,
 * radians of yaw and pitch), with proxy depth ray-cast in the episode's scene in Node. The
 * camera is not collided with walls: this rolls out a fixed action, it is not a game.
 */
export async function viewRollout(episode: Episode, manifest: ModelManifest): Promise<ViewRollout> {
  if (episode.meta.scene !== 'arena') throw new NextframeError('bad-episode', `sample: the episode's scene is "${episode.meta.scene}"; only "arena" can be built in Node here.`);
  const { width, height } = manifest.resolution;
  const K = manifest.contextFrames;
  if (episode.meta.resolution.width !== width || episode.meta.resolution.height !== height) {
    throw new NextframeError('bad-episode', `sample: the episode is ${episode.meta.resolution.width}×${episode.meta.resolution.height}, the model paints ${width}×${height}; record one at the model's resolution.`);
  }
  if (episode.meta.ticks < K) throw new NextframeError('bad-episode', `sample: the episode has ${episode.meta.ticks} ticks, the model needs ${K} start frames.`);
  await RAPIER.init();
  const physics = buildPhysicsWorld(arenaScene(0), RAPIER);
  const proxy = new ProxyDepth(physics, { width, height, camera: manifest.camera });
  const HW = width * height;
  const depthAll = fromFloat16Array(episode.depth);
  const frames: Float32Array[] = [];
  const views: View[] = [];
  for (let t = 0; t < K; t++) {
    frames.push(rgbToFrame(episode.frames.subarray(t * 3 * HW, (t + 1) * 3 * HW), width, height));
    const p = episode.poses.subarray(t * 5, t * 5 + 5);
    views.push({ pose: { x: p[0]!, y: p[1]!, z: p[2]!, yaw: p[3]!, pitch: p[4]! }, depth: depthAll.slice(t * HW, (t + 1) * HW) });
  }
  const pose: Pose = { ...views[K - 1]!.pose };
  const axes = headingAxes(pose.yaw);
  return {
    frames,
    views,
    next(action) {
      const forward = action.forward ?? 0;
      const strafe = action.strafe ?? 0;
      // Not poseAfterAction: the yaw is left unwrapped and the pitch clamped, as this rollout always has.
      headingAxes(pose.yaw, axes);
      pose.x += axes.forwardX * forward + axes.rightX * strafe;
      pose.z += axes.forwardZ * forward + axes.rightZ * strafe;
      pose.y += action.up ?? 0;
      pose.yaw += action.yaw ?? 0;
      pose.pitch = Math.max(-1.4, Math.min(1.4, pose.pitch + (action.pitch ?? 0)));
      return { pose: { ...pose }, depth: proxy.render(pose) };
    },
    dispose() {
      physics.dispose();
    },
  };
}

