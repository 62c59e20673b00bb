import { PCFShadowMap, PerspectiveCamera, SRGBColorSpace, WebGLRenderer, WebGLRenderTarget } from 'three';
import { buildThreeScene, type CameraIntrinsics, downsampleReadback, type SceneDescription, type ThreeScene } from '../../runtime/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';

/** A dynamic object to draw: its scene id, centre and orientation quaternion. */
export interface ViewObject {
  id: string;
  position: readonly [number, number, number];
  rotation: readonly [number, number, number, number];
}

export interface GroundTruthViewOptions {
  scene: SceneDescription;
  width: number;
  height: number;
  camera: CameraIntrinsics;
  /** Render at this multiple of the size and box-filter down, as the recorder does. Default 2. */
  supersample?: number;
  canvas?: HTMLCanvasElement | OffscreenCanvas;
}

/**
 * The scene as the recorder draws training frames (same camera, shadows, supersampling and
 * byte pipeline), for any pose, with a chosen set of the dynamic objects shown where physics
 * put them. Browser only. Owns a WebGL renderer, a render target and the scene: `dispose()`.
 */
export class GroundTruthView {
  readonly width: number;
  readonly height: number;
  private readonly renderer: WebGLRenderer;
  private readonly target: WebGLRenderTarget;
  private readonly camera: PerspectiveCamera;
  private readonly three: ThreeScene;
  private readonly supersample: number;
  private readonly rgba: Uint8Array;
  private disposed = false;

  constructor(options: GroundTruthViewOptions) {
    this.width = options.width;
    this.height = options.height;
    const cam = options.camera;
    this.camera = new PerspectiveCamera(cam.fovYDegrees, cam.aspect, cam.near, cam.far);
    this.camera.rotation.order = 'YXZ';
    this.renderer = new WebGLRenderer({ canvas: options.canvas ?? document.createElement('canvas'), antialias: false, alpha: false, powerPreference: 'high-performance' });
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.type = PCFShadowMap;
    // The shadow map is drawn once, of the static world only (as in the recordings); the
    // overlay objects are then shown without casting shadows, so it never needs redrawing.
    this.renderer.shadowMap.autoUpdate = false;
    this.renderer.shadowMap.needsUpdate = true;
    const s = (this.supersample = Math.max(1, Math.round(options.supersample ?? 2)));
    this.target = new WebGLRenderTarget(this.width * s, this.height * s, { depthBuffer: true });
    this.target.texture.colorSpace = SRGBColorSpace;
    this.rgba = new Uint8Array(this.width * s * this.height * s * 4);
    this.three = buildThreeScene(options.scene);
    for (const mesh of this.three.dynamicMeshes.values()) {
      mesh.castShadow = false;
      mesh.visible = false;
    }
    // First render: the shadow map, with every overlay hidden.
    this.render({ x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, [], new Uint8Array(3 * this.width * this.height));
  }

  /** Render `pose` with exactly `objects` shown; HWC RGB bytes, row 0 at the top, into `out`. */
  render(pose: Readonly<Pose>, objects: readonly ViewObject[], out: Uint8Array): Uint8Array {
    if (this.disposed) throw new Error('GroundTruthView: render() called after dispose(); create a new view.');
    if (out.length !== 3 * this.width * this.height) throw new Error(`GroundTruthView: output must hold ${3 * this.width * this.height} bytes, found ${out.length}.`);
    for (const mesh of this.three.dynamicMeshes.values()) mesh.visible = false;
    for (const o of objects) {
      const mesh = this.three.dynamicMeshes.get(o.id);
      if (!mesh) throw new Error(`GroundTruthView: the scene has no dynamic object "${o.id}"; it has ${[...this.three.dynamicMeshes.keys()].join(', ')}.`);
      mesh.visible = true;
      mesh.position.set(...o.position);
      mesh.quaternion.set(...o.rotation);
    }
    this.camera.position.set(pose.x, pose.y, pose.z);
    this.camera.rotation.set(pose.pitch, pose.yaw, 0);
    this.camera.updateMatrixWorld();
    this.three.followCamera(this.camera);
    const s = this.supersample;
    this.renderer.setRenderTarget(this.target);
    this.renderer.render(this.three.scene, this.camera);
    this.renderer.readRenderTargetPixels(this.target, 0, 0, this.width * s, this.height * s, this.rgba);
    this.renderer.setRenderTarget(null);
    return downsampleReadback(this.rgba, this.width, this.height, s, out);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.three.dispose();
    this.target.dispose();
    this.renderer.dispose();
  }
}
