// The browser half of the ground-truth observation source: builds the scene once, then renders
// batches of views on request from the Node driver (page.evaluate), handing the RGB bytes back
// as one base64 string.
import { type CameraIntrinsics, SCENES } from '../../runtime/index.ts';
import { GroundTruthView, type ViewObject } from './GroundTruthView.ts';
import { bytesToBase64 } from '../../../worldmodel/dataset/base64.ts';
import { NextframeError } from '../../../worldmodel/index.ts';

export interface GroundTruthOpenOptions {
  scene: string;
  sceneSeed: number;
  width: number;
  height: number;
  /** The model's camera; its aspect is width / height. */
  camera: Omit<CameraIntrinsics, 'aspect'>;
  supersample: number;
}

/** One view to render: camera pose (x, y, z, yaw, pitch) and the dynamic objects to show. */
export interface PageView {
  pose: readonly [number, number, number, number, number];
  objects: readonly ViewObject[];
}

export interface GroundTruthPageApi {
  open(options: GroundTruthOpenOptions): { renderer: string };
  /** The views' HWC RGB bytes, concatenated, as base64, and the milliseconds it took in the page. */
  render(views: readonly PageView[]): { rgb: string; ms: number };
  close(): void;
}

let view: GroundTruthView | null = null;
let canvas: HTMLCanvasElement | null = null;
let scratch = new Uint8Array(0);

const api: GroundTruthPageApi = {
  open(options) {
    view?.dispose();
    const make = SCENES[options.scene];
    if (!make) throw new NextframeError('bad-scene', `groundtruth: unknown scene "${options.scene}"; known: ${Object.keys(SCENES).join(', ')}.`);
    canvas?.remove();
    canvas = document.createElement('canvas');
    document.body.append(canvas);
    view = new GroundTruthView({ scene: make(options.sceneSeed), width: options.width, height: options.height, camera: options.camera, supersample: options.supersample, canvas });
    return { renderer: view.gpuName };
  },
  render(views) {
    if (!view) throw new NextframeError('not-ready', 'groundtruth: call open() first.');
    const started = performance.now();
    const size = 3 * view.width * view.height;
    if (scratch.length !== views.length * size) scratch = new Uint8Array(views.length * size);
    views.forEach((v, i) => {
      const [x, y, z, yaw, pitch] = v.pose;
      view!.render({ x, y, z, yaw, pitch }, v.objects, scratch.subarray(i * size, (i + 1) * size));
    });
    return { rgb: bytesToBase64(scratch), ms: performance.now() - started };
  },
  close() {
    view?.dispose();
    view = null;
  },
};

(window as unknown as { nextframeGroundTruth: GroundTruthPageApi }).nextframeGroundTruth = api;
document.body.dataset.ready = 'true';
