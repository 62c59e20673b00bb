import { NextframeError } from '../../../worldmodel/index.ts';
import type { Observation, PolicyAction } from '../types.ts';

/**
 * The wire form of observations and actions, shared by `httpPolicy` (JSON over HTTP) and
 * `loadPolicyModule` (which checks what a user's `act` returns the same way). Plain JSON so a
 * server in any language can read it: the image travels as base64 of its RGB bytes.
 */

/** An observation as JSON. `image` is base64 of `width·height·3` RGB bytes, row 0 at the top. */
export interface ObservationJson {
  image: string;
  encoding: 'rgb8-base64';
  width: number;
  height: number;
  proprio: Observation['proprio'];
  instruction: string;
  target: Observation['target'];
  /** Push tasks: where the target must end up. */
  goal?: Observation['goal'];
}

export function observationToJson(observation: Observation): ObservationJson {
  const { image, width, height, proprio, instruction, target, goal } = observation;
  const json: ObservationJson = { image: Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('base64'), encoding: 'rgb8-base64', width, height, proprio, instruction, target };
  if (goal) json.goal = goal;
  return json;
}

export function observationFromJson(json: ObservationJson): Observation {
  const image = new Uint8Array(Buffer.from(json.image, 'base64'));
  if (image.length !== json.width * json.height * 3) {
    throw new NextframeError('bad-frame', `observationFromJson: the image decodes to ${image.length} bytes, expected ${json.width}×${json.height}×3 = ${json.width * json.height * 3}; send width × height × 3 RGB bytes, base64-encoded.`);
  }
  return { image, width: json.width, height: json.height, proprio: json.proprio, instruction: json.instruction, target: json.target, ...(json.goal ? { goal: json.goal } : {}) };
}

const AXES = ['forward', 'strafe', 'yawRate', 'pitchRate'] as const;
const BUTTONS = ['jump', 'interact'] as const;

/**
 * Check and complete an action from outside (a user's module, an HTTP reply). Missing fields
 * default to idle, so `{ forward: 1 }` is a valid reply; a field of the wrong type, a
 * non-finite number or an unknown key is an error naming it (`where` prefixes the message).
 */
export function actionFromJson(value: unknown, where: string): PolicyAction {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NextframeError('bad-action', `${where}: expected an action object like { "forward": 1, "yawRate": 0.5 }, found ${describe(value)}.`);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const action: PolicyAction = { forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };
  for (const key of AXES) {
    const v = record[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`"${key}" must be a finite number, found ${describe(v)}`);
    else action[key] = v;
  }
  for (const key of BUTTONS) {
    const v = record[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') problems.push(`"${key}" must be true or false, found ${describe(v)}`);
    else action[key] = v;
  }
  const known = new Set<string>([...AXES, ...BUTTONS]);
  for (const key of Object.keys(record)) if (!known.has(key)) problems.push(`unknown key "${key}" (an action has ${[...known].join(', ')})`);
  if (problems.length > 0) throw new NextframeError('bad-action', `${where}: the action is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return action;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  return `${typeof value} ${String(value)}`;
}
