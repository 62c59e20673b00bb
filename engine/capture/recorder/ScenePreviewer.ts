// The browser half of `nextframe worlds`: builds seed after seed of one scene module in the
// recorder page and draws one ground-truth view of each, freeing each scene before the next.
import { bytesToBase64 } from '../../../worldmodel/dataset/base64.ts';
import { headingTo, NextframeError, SeededRandom } from '../../../worldmodel/index.ts';
import { buildPhysicsWorld, loadScene, type RapierModule, type SceneLayout, spawnPointFor, TruthCapture } from '../../runtime/index.ts';

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

/** Candidate spawn spots tried per view; the one farthest from the middle shows the most. */
const CANDIDATES = 8;
const EYE_HEIGHT = 1.6;
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
      const { pose, spawnError } = this.viewPose(loaded.layout, options.seed);
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

  /** A spawn spot the recorder could pick (the farthest of a few from the middle), facing the middle. */
  private viewPose(layout: SceneLayout, seed: number): { pose: ScenePreview['pose']; spawnError?: string } {
    const { spawn } = layout;
    const cx = (spawn.minX + spawn.maxX) / 2;
    const cz = (spawn.minZ + spawn.maxZ) / 2;
    const physics = buildPhysicsWorld(layout, this.rapier);
    try {
      let best: { x: number; y: number; z: number; yaw: number } | null = null;
      let bestDistance = -1;
      for (let k = 0; k < CANDIDATES; k++) {
        const spot = spawnPointFor(layout, physics, new SeededRandom(seed * CANDIDATES + k));
        const distance = Math.hypot(spot.x - cx, spot.z - cz);
        if (distance > bestDistance) {
          best = spot;
          bestDistance = distance;
        }
      }
      const spot = best!;
      const yaw = bestDistance > 3 ? headingTo(cx - spot.x, cz - spot.z) : spot.yaw;
      return { pose: [spot.x, spot.y + EYE_HEIGHT, spot.z, yaw, PITCH] };
    } catch (error) {
      return { pose: [cx, EYE_HEIGHT, cz, 0, PITCH], spawnError: (error as Error).message };
    } finally {
      physics.dispose();
    }
  }
}
