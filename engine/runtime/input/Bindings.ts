import { NextframeError } from '../../../worldmodel/index.ts';
/**
 * What a player can do, and which keys and gamepad buttons do it. Bindings are plain data so a
 * game can override any of them (`mergeKeyBindings({ jump: ['Space', 'KeyJ'] })`).
 */

/** Named input actions. Movement and turning are held; `throw` fires once per press. */
export type InputAction = 'forward' | 'back' | 'left' | 'right' | 'turnLeft' | 'turnRight' | 'lookUp' | 'lookDown' | 'jump' | 'interact' | 'throw';

export const INPUT_ACTIONS: readonly InputAction[] = ['forward', 'back', 'left', 'right', 'turnLeft', 'turnRight', 'lookUp', 'lookDown', 'jump', 'interact', 'throw'];

/** Keys per action, as `KeyboardEvent.code` values (layout-independent: `KeyW` is W on QWERTY, Z on AZERTY). */
export type KeyBindings = Readonly<Record<InputAction, readonly string[]>>;

export const DEFAULT_KEY_BINDINGS: KeyBindings = {
  forward: ['KeyW', 'ArrowUp'],
  back: ['KeyS', 'ArrowDown'],
  left: ['KeyA'],
  right: ['KeyD'],
  turnLeft: ['ArrowLeft'],
  turnRight: ['ArrowRight'],
  lookUp: ['PageUp'],
  lookDown: ['PageDown'],
  jump: ['Space'],
  interact: ['KeyE', 'KeyF'],
  throw: ['KeyT'],
};

/**
 * Gamepad bindings for the W3C "standard" mapping: button indices per action, and which axes
 * move and look. Default: left stick walks, right stick looks, A jumps, X interacts, RT or RB throws.
 */
export interface GamepadBindings {
  buttons: Readonly<Partial<Record<InputAction, readonly number[]>>>;
  /** Axis indices [x, y] of the stick that walks (y down is +, as the Gamepad API reports). */
  move: readonly [number, number];
  /** Axis indices [x, y] of the stick that looks. */
  look: readonly [number, number];
}

export const DEFAULT_GAMEPAD_BINDINGS: GamepadBindings = {
  buttons: { jump: [0], interact: [2], throw: [7, 5], lookUp: [12], lookDown: [13], turnLeft: [14], turnRight: [15] },
  move: [0, 1],
  look: [2, 3],
};

/** Defaults with some actions rebound; an action given here replaces its default keys. */
export function mergeKeyBindings(overrides: Readonly<Partial<Record<InputAction, readonly string[]>>> = {}): KeyBindings {
  for (const action of Object.keys(overrides)) {
    if (!(INPUT_ACTIONS as readonly string[]).includes(action)) {
      throw new NextframeError('bad-options', `mergeKeyBindings: unknown action "${action}"; expected one of ${INPUT_ACTIONS.join(', ')}.`);
    }
  }
  return { ...DEFAULT_KEY_BINDINGS, ...overrides };
}

/** key code → actions it triggers (one key may serve several actions). */
export function keyLookup(bindings: KeyBindings): ReadonlyMap<string, readonly InputAction[]> {
  const map = new Map<string, InputAction[]>();
  for (const action of INPUT_ACTIONS) {
    for (const code of bindings[action]) {
      const list = map.get(code) ?? [];
      list.push(action);
      map.set(code, list);
    }
  }
  return map;
}
