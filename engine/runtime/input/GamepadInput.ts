import { DEFAULT_GAMEPAD_BINDINGS, INPUT_ACTIONS, type GamepadBindings, type InputAction } from './Bindings.ts';

/** The part of the Gamepad API read here (a real `Gamepad` fits). */
export interface GamepadLike {
  connected: boolean;
  mapping: string;
  axes: readonly number[];
  buttons: readonly { pressed: boolean; value: number }[];
}

export interface GamepadInputOptions {
  bindings?: GamepadBindings;
  /** Where pads come from. Default: `navigator.getGamepads()` (none outside a browser). */
  getGamepads?: () => readonly (GamepadLike | null)[];
}

/**
 * Gamepads in the W3C standard mapping, polled once per frame (the Gamepad API has no events for
 * buttons or sticks). All connected standard pads add up, so a second controller also works.
 * Holds no listeners; `dispose()` only forgets state.
 */
export class GamepadInput {
  private readonly bindings: GamepadBindings;
  private readonly getGamepads: () => readonly (GamepadLike | null)[];
  private readonly wasDown = new Set<InputAction>();
  private readonly down = new Set<InputAction>();
  private readonly presses = new Map<InputAction, number>();

  constructor(options: GamepadInputOptions = {}) {
    this.bindings = options.bindings ?? DEFAULT_GAMEPAD_BINDINGS;
    const nav = typeof navigator === 'undefined' ? null : (navigator as Navigator & { getGamepads?: () => (Gamepad | null)[] });
    this.getGamepads = options.getGamepads ?? (() => (nav?.getGamepads ? nav.getGamepads() : []));
  }

  /** Read the pads: held actions go into `held`, stick values are added to `move` (x right, y forward) and `look` (x right, y up). */
  poll(held: Set<InputAction>, move: { x: number; y: number }, look: { x: number; y: number }): void {
    const down = this.down;
    down.clear();
    let pads: readonly (GamepadLike | null)[];
    try {
      pads = this.getGamepads();
    } catch {
      pads = []; // a permissions policy may forbid the Gamepad API
    }
    const { buttons, move: m, look: l } = this.bindings;
    for (const pad of pads) {
      if (!pad || !pad.connected || pad.mapping !== 'standard') continue;
      move.x += pad.axes[m[0]] ?? 0;
      move.y -= pad.axes[m[1]] ?? 0; // the API reports stick-down as +
      look.x += pad.axes[l[0]] ?? 0;
      look.y -= pad.axes[l[1]] ?? 0;
      for (const action of INPUT_ACTIONS) {
        if (buttons[action]?.some((i) => pad.buttons[i]?.pressed)) down.add(action);
      }
    }
    for (const action of down) {
      held.add(action);
      if (!this.wasDown.has(action)) this.presses.set(action, (this.presses.get(action) ?? 0) + 1);
    }
    this.wasDown.clear();
    for (const action of down) this.wasDown.add(action);
  }

  /** Presses of `action` seen by `poll` since the last call. */
  consumePresses(action: InputAction): number {
    const n = this.presses.get(action) ?? 0;
    if (n) this.presses.set(action, 0);
    return n;
  }

  clear(): void {
    this.presses.clear();
  }

  dispose(): void {
    this.clear();
    this.wasDown.clear();
  }
}
