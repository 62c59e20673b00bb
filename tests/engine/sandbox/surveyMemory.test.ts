import RAPIER from '@dimforge/rapier3d-compat';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbToFrame } from '../../../worldmodel/frames.ts';
import { WorldModel } from '../../../worldmodel/WorldModel.ts';
import { GroundTruthRenderer } from '../../../engine/sandbox/groundtruth/GroundTruthRenderer.ts';
import { PolicySimulation } from '../../../engine/sandbox/PolicySimulation.ts';
import { renderSurvey, surveyPoses } from '../../../engine/sandbox/surveyMemory.ts';
import { reachTask } from '../../../engine/sandbox/tasks/reachTask.ts';
import { WorldModelObserver } from '../../../engine/sandbox/WorldModelObserver.ts';
import { ProxyDepth } from '../../../engine/runtime/physics/ProxyDepth.ts';
import type { RapierModule } from '../../../engine/runtime/physics/rapierTypes.ts';
import { arenaScene } from '../../../engine/runtime/scene/arenaScene.ts';
import { buildPhysicsWorld } from '../../../engine/runtime/scene/buildPhysicsWorld.ts';
import { footprint } from '../../../engine/runtime/scene/SceneDescription.ts';

const scene = arenaScene(0);
const camera = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 };
const fixture = fileURLToPath(new URL('../../fixtures/tiny-streams/', import.meta.url));

describe('surveyPoses', () => {
  it('looks round from a grid of clear standing points at eye height, the same every time', () => {
    const poses = surveyPoses(scene, { grid: 4, headings: 8 });
    expect(poses).toEqual(surveyPoses(scene, { grid: 4, headings: 8 }));
    expect(poses.length % 8).toBe(0);
    const points = poses.length / 8;
    // 16 grid points, some against the arena's pillars and crates are skipped, most are kept.
    expect(points).toBeGreaterThanOrEqual(8);
    expect(points).toBeLessThanOrEqual(16);
    const obstacles = scene.statics.map(footprint).filter((f) => f.top > 0.05 && f.bottom < 2);
    for (const p of poses) {
      expect(p.y).toBeCloseTo(scene.spawn.floorY + 1.6);
      expect(p.pitch).toBe(0);
      expect(p.x).toBeGreaterThan(scene.spawn.minX);
      expect(p.x).toBeLessThan(scene.spawn.maxX);
      expect(obstacles.some((f) => p.x > f.minX - 0.8 && p.x < f.maxX + 0.8 && p.z > f.minZ - 0.8 && p.z < f.maxZ + 0.8)).toBe(false);
    }
    // Each point turns all the way round in even steps.
    const first = poses.slice(0, 8).map((p) => p.yaw);
    for (let h = 1; h < 8; h++) expect(first[h]! - first[h - 1]!).toBeCloseTo(Math.PI / 4);
    expect(surveyPoses(scene, { grid: 2, headings: 3 }).length).toBeLessThan(poses.length);
  });

  it('says what it needs when the grid or headings are not positive integers', () => {
    expect(() => surveyPoses(scene, { grid: 0 })).toThrow(/grid and headings must be positive integers, found grid 0/);
    expect(() => surveyPoses(scene, { headings: 2.5 })).toThrow(/headings 2.5/);
  });
});

describe('renderSurvey and the world-model observer', () => {
  let renderer: GroundTruthRenderer;
  let rapier: RapierModule;
  let model: WorldModel;

  beforeAll(async () => {
    await RAPIER.init();
    rapier = RAPIER as unknown as RapierModule;
    renderer = await GroundTruthRenderer.launch({ width: 32, height: 32, camera });
    model = await WorldModel.load(fixture);
  }, 180_000);

  afterAll(async () => {
    await renderer?.close();
    await model?.dispose();
  });

  it('renders each pose as the recorder would, with proxy depth of the static scene', { timeout: 60_000 }, async () => {
    const poses = surveyPoses(scene, { grid: 2, headings: 4 });
    const survey = await renderSurvey(renderer, scene, rapier, camera, poses);
    expect(survey.frames).toHaveLength(poses.length);
    expect(survey.views.map((v) => v.pose)).toEqual(poses);
    const again = await renderer.render(poses.slice(0, 2).map((pose) => ({ pose, objects: [] })));
    expect(Array.from(survey.frames[1]!)).toEqual(Array.from(rgbToFrame(again[1]!, 32, 32)));
    const statics = buildPhysicsWorld({ ...scene, dynamics: [] }, rapier);
    expect(Array.from(survey.views[3]!.depth)).toEqual(Array.from(new ProxyDepth(statics, { width: 32, height: 32, camera }).render(poses[3]!)));
    statics.dispose();
    // Different headings see different things.
    expect(Array.from(survey.frames[0]!)).not.toEqual(Array.from(survey.frames[2]!));
  });

  it('starts every episode with the survey in memory, oldest, and the start frame newest', { timeout: 60_000 }, async () => {
    const survey = await renderSurvey(renderer, scene, rapier, camera, surveyPoses(scene, { grid: 2, headings: 4 }));
    const n = survey.frames.length;
    const fork = model.fork({ memory: { capacity: n + 8 } });
    const sim = new PolicySimulation({ scene, rapier, task: reachTask(), width: 32, height: 32, camera });
    const observer = new WorldModelObserver({ models: [fork], renderer, ownsRenderer: false, ownedParent: null, camera, lighting: scene.lighting, survey });
    for (const seed of [1, 2]) {
      sim.reset(seed);
      await observer.reset([sim], [0]);
      expect(fork.memory!.size).toBe(n + 1);
      expect(fork.memory!.ticks.at(-1)).toBe(0);
      expect(fork.memory!.ticks.slice(0, n).every((t) => t < 0)).toBe(true);
    }
    // Painted frames come and go; the survey's real views outrank them and stay.
    sim.renderDepth();
    for (let t = 0; t < 12; t++) {
      sim.step({ forward: 0, strafe: 0, yawRate: 2, pitchRate: 0, jump: false, interact: false });
      await observer.step([sim], [0]);
    }
    expect(fork.memory!.size).toBe(n + 8);
    expect(fork.memory!.ticks.filter((t) => t < 0)).toHaveLength(n);
    // Without a survey: the start frame alone.
    const bare = new WorldModelObserver({ models: [fork], renderer, ownsRenderer: false, ownedParent: null, camera, lighting: scene.lighting });
    sim.reset(3);
    await bare.reset([sim], [0]);
    expect(fork.memory!.ticks).toEqual([0]);
    sim.dispose();
    await fork.dispose();
  });
});
