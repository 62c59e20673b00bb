import { buildThreeScene, type CameraIntrinsics, type SceneDescription, type ThreeScene, TruthCapture } from '../../runtime/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../../worldmodel/index.ts';

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
  /** The model's camera; its aspect is width / height, as in the recordings. */
  camera: Omit<CameraIntrinsics, 'aspect'>;
  /** Render at this multiple of the size and box-filter down, as the recorder does. Default 2. */
  supersample?: number;
  canvas?: HTMLCanvasElement | OffscreenCanvas;
}

/**
 * The scene drawn by the runtime's one ground-truth render (`TruthCapture`, which draws the
 * training frames too) for any pose, with a chosen set of the dynamic objects shown where physics
 * put them. The shadow map is drawn once, of the static world only (as in the recordings): the
 * dynamic objects cast no shadow. Browser only. Owns the capture and the scene: `dispose()`.
 */
export class GroundTruthView {
  readonly width: number;
  readonly height: number;
  private readonly truth: TruthCapture;
  private readonly three: ThreeScene;
  private disposed = false;

  constructor(options: GroundTruthViewOptions) {
    this.truth = new TruthCapture({
      width: options.width,
      height: options.height,
      camera: options.camera,
      ...(options.supersample !== undefined ? { supersample: options.supersample } : {}),
      ...(options.canvas ? { canvas: options.canvas } : {}),
    });
    this.width = this.truth.width;
    this.height = this.truth.height;
    this.three = buildThreeScene(options.scene);
    for (const mesh of this.three.dynamicMeshes.values()) {
      mesh.castShadow = false;
      mesh.visible = false;
    }
  }

  /** The GPU the views are drawn on, as WebGL names it. */
  get gpuName(): string {
    return this.truth.gpuName;
  }

  /** Render `pose` with exactly `objects` shown; HWC RGB bytes, row 0 at the top, into `out`. */
  render(pose: Readonly<Pose>, objects: readonly ViewObject[], out: Uint8Array): Uint8Array {
    if (this.disposed) throw new NextframeError('disposed', 'GroundTruthView: render() called after dispose(); create a new view.');
    if (out.length !== 3 * this.width * this.height) throw new NextframeError('bad-frame', `GroundTruthView: output must hold ${3 * this.width * this.height} bytes, found ${out.length}.`);
    for (const mesh of this.three.dynamicMeshes.values()) mesh.visible = false;
    for (const o of objects) {
      const mesh = this.three.dynamicMeshes.get(o.id);
      if (!mesh) throw new NextframeError('bad-input', `GroundTruthView: the scene has no dynamic object "${o.id}"; it has ${[...this.three.dynamicMeshes.keys()].join(', ')}.`);
      mesh.visible = true;
      mesh.position.set(...o.position);
      mesh.quaternion.set(...o.rotation);
    }
    const camera = this.truth.placeCamera(pose);
    this.three.followCamera(camera);
    return this.truth.captureBytes(this.three.scene, camera, [], out);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.three.dispose();
    this.truth.dispose();
  }
}
