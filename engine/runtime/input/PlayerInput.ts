import { NextframeError } from '../../../worldmodel/index.ts';
import { IDLE_INTENT, type Intent } from '../physics/CharacterController.ts';
import { DEFAULT_KEY_BINDINGS, type GamepadBindings, type InputAction, type KeyBindings } from './Bindings.ts';
import { GamepadInput, type GamepadLike } from './GamepadInput.ts';
import { intentFromInput, type InputSnapshot, type LookSettings } from './intentFromInput.ts';
import { KeyboardInput } from './KeyboardInput.ts';
import { PointerLook } from './PointerLook.ts';
import { isTouchDevice, TouchJoysticks } from './TouchJoysticks.ts';

export interface PlayerInputOptions {
  /** The game canvas: clicks, drags and pointer lock happen on it. */
  element: EventTarget & { requestPointerLock?: () => unknown };
  /** Key events and focus come from here. Default: `window`. */
  window?: EventTarget;
  /** Visibility and pointer lock come from here. Default: `document`. */
  document?: EventTarget & { hidden?: boolean; pointerLockElement?: unknown; exitPointerLock?: () => void };
  /** Key bindings (see `mergeKeyBindings`). */
  keys?: KeyBindings;
  /** Gamepad bindings, or false for no gamepad. */
  gamepad?: GamepadBindings | false;
  /** Gamepads to read instead of `navigator.getGamepads()` (tests, remapping layers). */
  getGamepads?: () => readonly (GamepadLike | null)[];
  /** Twin joysticks: true, false, or `auto` (on touch screens). Default `auto`. */
  touch?: boolean | 'auto';
  /** Where the touch layer goes. Default: `document.body`. */
  touchParent?: HTMLElement;
  /** Ask for pointer lock on click (desktop). Default true. */
  pointerLock?: boolean;
  look?: LookSettings;
  /** Called when input pauses (focus lost, tab hidden) or resumes. */
  onPauseChange?: (paused: boolean) => void;
}

/**
 * Every input device merged into one `Intent` per frame: keyboard (WASD, arrows, Space, E/F),
 * mouse look (pointer lock, or drag without it), twin touch joysticks, and gamepads. Input
 * pauses when the page loses focus or is hidden, so no key stays stuck down and the player does
 * not walk off while the tab is in the background. Owns listeners and DOM: `dispose()`.
 */
export class PlayerInput {
  readonly keyboard: KeyboardInput;
  readonly pointer: PointerLook;
  readonly gamepad: GamepadInput | null;
  /** The touch joysticks, once loaded (see `touchReady`); null on non-touch devices. */
  touch: TouchJoysticks | null = null;
  /** Resolves when the touch joysticks are up (at once when there are none). */
  readonly touchReady: Promise<void>;
  private readonly look: LookSettings;
  private readonly win: EventTarget;
  private readonly doc: PlayerInputOptions['document'] | null;
  private readonly onPauseChange: ((paused: boolean) => void) | undefined;
  private readonly snapshot: InputSnapshot & { held: Set<InputAction> } = { held: new Set(), move: { x: 0, y: 0 }, look: { x: 0, y: 0 }, lookDelta: { yaw: 0, pitch: 0 } };
  private blurred = false;
  private hidden = false;
  private disposed = false;

  constructor(options: PlayerInputOptions) {
    this.win = options.window ?? globalThis.window;
    this.doc = options.document ?? (typeof document === 'undefined' ? null : document);
    if (!this.win) throw new NextframeError('bad-options', 'PlayerInput: no window to listen on; pass options.window outside a browser.');
    this.look = options.look ?? {};
    this.onPauseChange = options.onPauseChange;
    this.keyboard = new KeyboardInput({ target: this.win, bindings: options.keys ?? DEFAULT_KEY_BINDINGS });
    this.pointer = new PointerLook({ element: options.element, ...(this.doc ? { document: this.doc } : {}), lockOnClick: options.pointerLock ?? true, look: this.look });
    this.gamepad = options.gamepad === false ? null : new GamepadInput({ ...(options.gamepad ? { bindings: options.gamepad } : {}), ...(options.getGamepads ? { getGamepads: options.getGamepads } : {}) });
    const touch = options.touch ?? 'auto';
    this.touchReady =
      touch === true || (touch === 'auto' && isTouchDevice())
        ? TouchJoysticks.load(options.touchParent ? { parent: options.touchParent } : {}).then(
            (joysticks) => {
              if (this.disposed) joysticks.dispose();
              else this.touch = joysticks;
            },
            (error: unknown) => console.warn('PlayerInput: the touch joysticks could not load; keyboard, mouse and gamepad still work.', error),
          )
        : Promise.resolve();
    this.hidden = this.doc?.hidden === true;
    this.win.addEventListener('blur', this.onBlur);
    this.win.addEventListener('focus', this.onFocus);
    this.doc?.addEventListener('visibilitychange', this.onVisibility);
  }

  /** Input is ignored: the page lost focus or is hidden. */
  get paused(): boolean {
    return this.blurred || this.hidden;
  }

  /**
   * This frame's intent into `intent`, and the mouse look accumulated since the last read added
   * to `lookDelta` (radians). While paused: the idle intent and no look.
   */
  read(intent: Intent, lookDelta: { yaw: number; pitch: number }): Intent {
    if (this.paused) return Object.assign(intent, IDLE_INTENT);
    const s = this.snapshot;
    s.held.clear();
    s.move.x = s.move.y = s.look.x = s.look.y = 0;
    s.lookDelta.yaw = s.lookDelta.pitch = 0;
    this.keyboard.collect(s.held);
    if (this.touch) {
      this.touch.collect(s.held);
      s.move.x += this.touch.move.x;
      s.move.y += this.touch.move.y;
      s.look.x += this.touch.look.x;
      s.look.y += this.touch.look.y;
    }
    this.gamepad?.poll(s.held, s.move, s.look);
    this.pointer.consume(lookDelta);
    return intentFromInput(s, this.look, intent);
  }

  /** Throws asked for since the last call: clicks, the throw key, the touch or gamepad button. */
  consumeThrows(): number {
    if (this.paused) return 0;
    return this.pointer.consumeClicks() + this.keyboard.consumePresses('throw') + (this.touch?.consumePresses('throw') ?? 0) + (this.gamepad?.consumePresses('throw') ?? 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.win.removeEventListener('blur', this.onBlur);
    this.win.removeEventListener('focus', this.onFocus);
    this.doc?.removeEventListener('visibilitychange', this.onVisibility);
    this.keyboard.dispose();
    this.pointer.dispose();
    this.gamepad?.dispose();
    this.touch?.dispose();
  }

  private setPaused(update: () => void): void {
    const was = this.paused;
    update();
    if (this.paused === was) return;
    if (this.paused) {
      // Key-ups and pointer-ups that happen while away never arrive: forget everything held.
      this.keyboard.clear();
      this.pointer.clear();
      this.gamepad?.clear();
      this.touch?.clear();
    }
    this.onPauseChange?.(this.paused);
  }

  private readonly onBlur = (): void => this.setPaused(() => (this.blurred = true));
  private readonly onFocus = (): void => this.setPaused(() => (this.blurred = false));
  private readonly onVisibility = (): void => this.setPaused(() => (this.hidden = this.doc?.hidden === true));
}
