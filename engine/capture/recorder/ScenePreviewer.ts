// The browser half of `nextframe worlds`: builds seed after seed of one scene module in the
// recorder page and draws one ground-truth view of each, freeing each scene before the next.
import { bytesToBase64 } from '../../../worldmodel/dataset/base64.ts';
import { headingTo, NextframeError, SeededRandom } from '../../../worldmodel/index.ts';
import { buildPhysicsWorld, loadScene, type RapierModule, type SceneLayout, spawnPointFor, TruthCapture } from '../../runtime/index.ts';
import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';

export interface PreviewOptions {
  /** URL of the scene module, as the page imports it. */
  scene: string;
  /** Scene id when the module gives none. */
  sceneId: string;
  seed: number;
  width: number;
  height: number;
  /** Render at this multiple and average down. Default 2. */
  supersample?: number;
  /** Also return the colliders (large for terrain). */
  withLayout?: boolean;
  /** Draw from this camera pose (x, y eye, z, yaw, pitch) instead of the chosen spawn view. */
  pose?: [number, number, number, number, number];
}

export interface ScenePreview {
  id: string;
  hash: string;
  seed: number;
  /** HWC RGB bytes, row 0 at the top, base64. */
  rgb: string;
  /** Camera pose of the view: x, y (eye), z, yaw, pitch. */
  pose: [number, number, number, number, number];
  /** What the view cost three.js: draw calls and triangles of the one render. */
  drawCalls: number;
  triangles: number;
  /** Milliseconds to build the scene (module, assets, colliders, hash) and to draw the view. */
  buildMs: number;
  renderMs: number;
  /** Why no spawn spot was found (the view is then taken from the spawn rectangle's centre). */
  spawnError?: string;
  layout?: SceneLayout;
}

/** Spawn spots and headings tried per view; rays see at most `MAX_REACH` m. */
const CANDIDATES = 6;
const HEADINGS = 12;
const MAX_REACH = 30;
const EYE_HEIGHT = DEFAULT_EYE_HEIGHT; // the recorder's players'
const PITCH = -0.12;

/**
 * Builds a scene module at any seed and renders one view of it with the runtime's ground-truth
 * renderer (`TruthCapture`, reused while the size stays the same): from a spawn spot the
 * recorder could pick, looking towards the middle of the spawn area. Owns a renderer: `dispose()`.
 */
export class ScenePreviewer {
  private readonly rapier: RapierModule;
  private readonly modules = new Map<string, unknown>();
  private truth: TruthCapture | null = null;
  private disposed = false;

  constructor(rapier: RapierModule) {
    this.rapier = rapier;
  }

  async preview(options: PreviewOptions): Promise<ScenePreview> {
    if (this.disposed) throw new NextframeError('disposed', 'ScenePreviewer: preview() called after dispose(); create a new one.');
    const started = performance.now();
    const loaded = await loadScene(await this.module(options.scene), { seed: options.seed, id: options.sceneId, source: options.scene });
    try {
      const buildMs = performance.now() - started;
      const { pose, spawnError } = options.pose ? { pose: options.pose, spawnError: undefined } : this.viewPose(loaded.layout, options.seed);
      // Overlays are drawn over the painted world, never part of what the model learns (as recorded).
      for (const overlay of loaded.overlays) overlay.visible = false;
      const truth = this.capture(options);
      const renderStarted = performance.now();
      loaded.beforeRender(truth.placeCamera({ x: pose[0], y: pose[1], z: pose[2], yaw: pose[3], pitch: pose[4] }));
      truth.draw(loaded.scene);
      const { calls, triangles } = truth.renderer.info.render;
      const rgb = truth.read();
      return {
        id: loaded.id,
        hash: loaded.hash,
        seed: options.seed,
        rgb: bytesToBase64(rgb),
        pose,
        drawCalls: calls,
        triangles,
        buildMs,
        renderMs: performance.now() - renderStarted,
        ...(spawnError ? { spawnError } : {}),
        ...(options.withLayout ? { layout: loaded.layout } : {}),
      };
    } finally {
      loaded.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.truth?.dispose();
    this.truth = null;
  }

  private async module(url: string): Promise<unknown> {
    if (!this.modules.has(url)) {
      try {
        this.modules.set(url, await import(/* @vite-ignore */ url));
      } catch (error) {
        throw new NextframeError('bad-scene', `ScenePreviewer: could not import the scene module ${url}: ${(error as Error).message}. Check that the file loads in a browser.`, { cause: error });
      }
    }
    return this.modules.get(url);
  }

  private capture(options: PreviewOptions): TruthCapture {
    const supersample = options.supersample ?? 2;
    const t = this.truth;
    if (t && t.width === options.width && t.height === options.height && t.supersample === supersample) return t;
    t?.dispose();
    this.truth = new TruthCapture({ width: options.width, height: options.height, supersample });
    return this.truth;
  }

  /**
   * A view the recorder could start from: of a few spawn spots and twelve headings each, the one
   * that sees farthest (mean free distance of a fan of rays at eye height, capped at 30 m), so
   * the picture shows the world rather than the nearest wall.
   */
  private viewPose(layout: SceneLayout, seed: number): { pose: ScenePreview['pose']; spawnError?: string } {
    const { spawn } = layout;
    const cx = (spawn.minX + spawn.maxX) / 2;
    const cz = (spawn.minZ + spawn.maxZ) / 2;
    const physics = buildPhysicsWorld(layout, this.rapier);
    try {
      const ray = new this.rapier.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: -1 });
      const reach = (x: number, y: number, z: number, yaw: number): number => {
        let total = 0;
        for (let k = -3; k <= 3; k++) {
          const a = yaw + (k * 0.6) / 3;
          ray.origin = { x, y, z };
          ray.dir = { x: -Math.sin(a), y: 0, z: -Math.cos(a) };
          const hit = physics.world.castRay(ray, MAX_REACH, true);
          total += hit ? Math.min(MAX_REACH, hit.timeOfImpact) : MAX_REACH;
        }
        return total / 7;
      };
      let best: ScenePreview['pose'] = [cx, EYE_HEIGHT, cz, 0, PITCH];
      let bestScore = -1;
      for (let k = 0; k < CANDIDATES; k++) {
        const spot = spawnPointFor(layout, physics, new SeededRandom(seed * CANDIDATES + k));
        const eye = spot.y + EYE_HEIGHT;
        const towardsMiddle = headingTo(cx - spot.x, cz - spot.z);
        for (let h = 0; h < HEADINGS; h++) {
          const yaw = towardsMiddle + (h * 2 * Math.PI) / HEADINGS;
          const score = reach(spot.x, eye, spot.z, yaw);
          if (score > bestScore + 1e-6) {
            best = [spot.x, eye, spot.z, Math.atan2(Math.sin(yaw), Math.cos(yaw)), PITCH];
            bestScore = score;
          }
        }
      }
      return { pose: best };
    } catch (error) {
      return { pose: [cx, EYE_HEIGHT, cz, 0, PITCH], spawnError: (error as Error).message };
    } finally {
      physics.dispose();
    }
  }
}
