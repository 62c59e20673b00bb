import { loadBytes, resolveLocation } from '../../../worldmodel/loadBytes.ts';
import { OrtSession, type Device } from '../../../worldmodel/OrtSession.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { Observation, Policy, PolicyAction } from '../types.ts';
import { goalColour, type Palette } from './goalColour.ts';

/** `policy.json` beside `policy.onnx`, as `models/policy_bc.py` writes it. */
export interface PolicyCard {
  format: 'nextframe.policy';
  name: string;
  modelFile: string;
  resolution: { width: number; height: number };
  inputs: { image: number[]; target: number[] };
  /** Row i of the logits means this intent (missing fields idle). */
  actions: Partial<PolicyAction>[];
}

export interface BcCnnPolicyOptions {
  /** Landmark names → colours, to read a push goal from the instruction (the network takes it as input). */
  palette?: Palette;
  /** Default `wasm`: a policy this small gains nothing from WebGPU and WASM runs everywhere. */
  device?: Device;
  threads?: number;
}

/**
 * The behaviour-cloned CNN (`models/policy_bc.py`): image and target colour in, logits over a
 * small table of intents out, argmax taken. The folder holds `policy.json` and the ONNX file;
 * the action table comes from the card, so retraining with another table needs no code change.
 * Owns an ORT session: `dispose()`.
 */
export class BcCnnPolicy implements Policy {
  readonly name: string;
  readonly card: PolicyCard;
  private readonly session: OrtSession;
  private readonly palette: Palette | undefined;
  private readonly image: Float32Array;
  private readonly target: Float32Array;
  private readonly targetDim: number;

  private constructor(session: OrtSession, card: PolicyCard, palette: Palette | undefined) {
    this.session = session;
    this.card = card;
    this.name = card.name;
    this.palette = palette;
    const { width, height } = card.resolution;
    this.image = new Float32Array(3 * width * height);
    this.targetDim = card.inputs.target[1] ?? 6;
    this.target = new Float32Array(this.targetDim);
  }

  /** Load from a folder (path or URL) with `policy.json` and its ONNX file. */
  static async load(folder: string, options: BcCnnPolicyOptions = {}): Promise<BcCnnPolicy> {
    const base = await resolveLocation(folder.endsWith('/') ? folder : `${folder}/`);
    const cardBytes = await loadBytes(new URL('policy.json', base), 'the policy card (policy.json)');
    let card: PolicyCard;
    try {
      card = JSON.parse(new TextDecoder().decode(cardBytes)) as PolicyCard;
    } catch (error) {
      throw new NextframeError('bad-policy', `BcCnnPolicy: ${new URL('policy.json', base).href} is not JSON (${String(error)}). Re-export it with models/policy_bc.py.`, { cause: error });
    }
    const problems = checkCard(card);
    if (problems.length > 0) throw new NextframeError('bad-policy', `BcCnnPolicy: policy.json in ${base.href} is not a policy card:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    const model = await loadBytes(new URL(card.modelFile, base), `the policy network (${card.modelFile})`);
    const session = await OrtSession.create(model, { device: options.device ?? 'wasm', ...(options.threads ? { threads: options.threads } : {}) });
    return new BcCnnPolicy(session, card, options.palette);
  }

  async act(observation: Observation): Promise<PolicyAction> {
    const { width, height } = this.card.resolution;
    const { image } = observation;
    if (observation.width !== width || observation.height !== height) {
      throw new NextframeError('bad-frame', `BcCnnPolicy: the network was trained on ${width}×${height} images, the observation is ${observation.width}×${observation.height}. Use a model of that resolution or retrain the policy.`);
    }
    // HWC bytes → CHW in [−1, 1], the layout the network was trained on.
    const n = width * height;
    for (let p = 0; p < n; p++) {
      this.image[p] = image[3 * p]! / 127.5 - 1;
      this.image[n + p] = image[3 * p + 1]! / 127.5 - 1;
      this.image[2 * n + p] = image[3 * p + 2]! / 127.5 - 1;
    }
    writeColour(observation.target.color, this.target, 0);
    if (this.targetDim >= 6) {
      const goal = goalColour(observation, this.palette);
      if (goal === null) this.target.fill(-1, 3, 6);
      else writeColour(goal, this.target, 3);
    }
    const out = await this.session.run({ image: { data: this.image, dims: [1, 3, height, width] }, target: { data: this.target, dims: [1, this.targetDim] } });
    const logits = out.logits?.data;
    if (!logits || logits.length !== this.card.actions.length) {
      throw new NextframeError('bad-policy', `BcCnnPolicy: expected ${this.card.actions.length} logits (one per action in policy.json), found ${logits?.length ?? 'no "logits" output'}. Export policy.onnx and policy.json together with models/policy_bc.py.`);
    }
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    const a = this.card.actions[best]!;
    return { forward: a.forward ?? 0, strafe: a.strafe ?? 0, yawRate: a.yawRate ?? 0, pitchRate: a.pitchRate ?? 0, jump: a.jump ?? false, interact: a.interact ?? false };
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

function writeColour(color: number, out: Float32Array, at: number): void {
  out[at] = ((color >> 16) & 255) / 127.5 - 1;
  out[at + 1] = ((color >> 8) & 255) / 127.5 - 1;
  out[at + 2] = (color & 255) / 127.5 - 1;
}

function checkCard(card: unknown): string[] {
  if (typeof card !== 'object' || card === null) return ['expected an object'];
  const c = card as Partial<PolicyCard>;
  const problems: string[] = [];
  if (c.format !== 'nextframe.policy') problems.push(`format must be "nextframe.policy", found ${JSON.stringify(c.format)}`);
  if (typeof c.modelFile !== 'string') problems.push('modelFile must name the ONNX file');
  if (!c.resolution || !Number.isInteger(c.resolution.width) || !Number.isInteger(c.resolution.height)) problems.push('resolution must be { width, height } in pixels');
  if (!Array.isArray(c.actions) || c.actions.length === 0) problems.push('actions must list one intent per logit');
  if (!c.inputs || !Array.isArray(c.inputs.target)) problems.push('inputs.target must give the target input shape');
  if (typeof c.name !== 'string') problems.push('name must be a string');
  return problems;
}
