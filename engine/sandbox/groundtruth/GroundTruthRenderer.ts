import type { Browser, Page } from 'playwright-core';
import type { CameraIntrinsics } from '../../runtime/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { callPageApi, launchChromium, openReadyPage, startRecorderServer } from '../../capture/index.ts';
import type { SimObject } from '../PolicySimulation.ts';
import type { GroundTruthPageApi, PageView } from './groundTruthPage.ts';

export interface GroundTruthRendererOptions {
  /** Scene id (`arena`) and layout seed; recordings use seed 0. */
  scene?: string;
  sceneSeed?: number;
  /** The model's resolution and camera (its aspect must be width / height, as in the recordings). */
  width: number;
  height: number;
  camera: CameraIntrinsics;
  /** Render at this multiple and box-filter down, as the recorder does. Default 2. */
  supersample?: number;
}

/** One view for `render`: a camera pose and the dynamic objects to show (none: the static world, as recorded). */
export interface GroundTruthRequest {
  pose: Readonly<Pose>;
  objects: readonly SimObject[];
}

/**
 * The scene rendered by Three.js in headless Chromium, from Node: one persistent page (served
 * by the repo's vite server) that renders a batch of views per call with the runtime's
 * `TruthCapture`, the code that renders training frames, with the requested dynamic objects
 * drawn where physics put them.
 * One renderer can serve any number of environments. Owns a browser and a server: `close()`.
 */
export class GroundTruthRenderer {
  readonly width: number;
  readonly height: number;
  /** The WebGL renderer the page got (e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader …))"). */
  readonly rendererName: string;
  /** Milliseconds of the last `render` call: in all, and inside the page (drawing and read-back). */
  lastMs = 0;
  lastPageMs = 0;
  private readonly page: Page;
  private readonly browser: Browser;
  private readonly closeServer: () => Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(page: Page, browser: Browser, closeServer: () => Promise<void>, width: number, height: number, rendererName: string) {
    this.page = page;
    this.browser = browser;
    this.closeServer = closeServer;
    this.width = width;
    this.height = height;
    this.rendererName = rendererName;
  }

  /** Start the server and Chromium and open the page (a few seconds: vite compiles three.js). */
  static async launch(options: GroundTruthRendererOptions): Promise<GroundTruthRenderer> {
    const { camera, width, height } = options;
    if (Math.abs(camera.aspect - width / height) > 1e-6) {
      throw new NextframeError('bad-options', `GroundTruthRenderer: camera.aspect is ${camera.aspect} but the views are ${width}×${height}; ground truth is drawn as training frames are, at aspect width / height: pass aspect ${width / height}.`);
    }
    const server = await startRecorderServer();
    let browser: Browser | null = null;
    try {
      browser = await launchChromium();
      const page = await openReadyPage(browser, `${server.url}/engine/sandbox/groundtruth/groundtruth.html`, 'GroundTruthRenderer: the page', 90_000);
      const opened = await callPage<{ renderer: string }>(page, 'open', {
        scene: options.scene ?? 'arena',
        sceneSeed: options.sceneSeed ?? 0,
        width: options.width,
        height: options.height,
        camera: { fovYDegrees: camera.fovYDegrees, near: camera.near, far: camera.far },
        supersample: options.supersample ?? 2,
      });
      return new GroundTruthRenderer(page, browser, server.close, options.width, options.height, opened.renderer);
    } catch (error) {
      await browser?.close();
      await server.close();
      throw error;
    }
  }

  /**
   * Render the views in one page round trip; each comes back as HWC RGB bytes (row 0 at the
   * top), as training frames are stored. Calls are queued, so concurrent callers are safe.
   */
  render(requests: readonly GroundTruthRequest[]): Promise<Uint8Array[]> {
    const result = this.queue.then(() => this.renderNow(requests));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async renderNow(requests: readonly GroundTruthRequest[]): Promise<Uint8Array[]> {
    if (this.closed) throw new NextframeError('disposed', 'GroundTruthRenderer: render() after close(); launch a new renderer.');
    if (requests.length === 0) return [];
    const started = performance.now();
    const views: PageView[] = requests.map(({ pose, objects }) => ({
      pose: [pose.x, pose.y, pose.z, pose.yaw, pose.pitch],
      objects: objects.map((o) => ({ id: o.id, position: [o.position.x, o.position.y, o.position.z], rotation: [o.rotation.x, o.rotation.y, o.rotation.z, o.rotation.w] })),
    }));
    const { rgb, ms } = await callPage<{ rgb: string; ms: number }>(this.page, 'render', views);
    const bytes = Buffer.from(rgb, 'base64');
    const size = 3 * this.width * this.height;
    if (bytes.length !== requests.length * size) throw new NextframeError('browser-failed', `GroundTruthRenderer: the page returned ${bytes.length} bytes for ${requests.length} views of ${size}; close this renderer and launch a new one.`);
    // One copy per view: observations are handed to policies, which may keep them.
    const out = requests.map((_, i) => new Uint8Array(bytes.subarray(i * size, (i + 1) * size)));
    this.lastPageMs = ms;
    this.lastMs = performance.now() - started;
    return out;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    try {
      await this.browser.close();
    } finally {
      await this.closeServer();
    }
  }
}

/** Call the ground-truth page's API (`window.nextframeGroundTruth`); errors keep the page's codes (`callPageApi`). */
function callPage<T>(page: Page, method: keyof GroundTruthPageApi, ...args: unknown[]): Promise<T> {
  return callPageApi<T>(page, `GroundTruthRenderer.${method}`, 'nextframeGroundTruth', method, ...args);
}
