import { NextframeError } from '../../../worldmodel/index.ts';
import { DEFAULT_KEY_BINDINGS, keyLookup, type InputAction, type KeyBindings } from './Bindings.ts';

export interface KeyboardInputOptions {
  /** Where key events are heard. Default: `window`. */
  target?: EventTarget;
  bindings?: KeyBindings;
}

interface KeyEventLike extends Event {
  code?: string;
  repeat?: boolean;
  target: EventTarget | null;
}

/**
 * Held keys as input actions. Bound keys do not scroll the page or type while the game has
 * them; keys typed into text fields are ignored. Listens on its target: `dispose()`.
 */
export class KeyboardInput {
  private readonly target: EventTarget;
  private readonly lookup: ReadonlyMap<string, readonly InputAction[]>;
  private readonly down = new Set<string>();
  private readonly presses = new Map<InputAction, number>();
  private disposed = false;

  constructor(options: KeyboardInputOptions = {}) {
    this.target = options.target ?? globalThis.window;
    if (!this.target) throw new NextframeError('bad-options', 'KeyboardInput: no event target; pass options.target outside a browser.');
    this.lookup = keyLookup(options.bindings ?? DEFAULT_KEY_BINDINGS);
    this.target.addEventListener('keydown', this.onKeyDown);
    this.target.addEventListener('keyup', this.onKeyUp);
  }

  /** Add the actions whose keys are held to `out`. */
  collect(out: Set<InputAction>): void {
    for (const code of this.down) {
      const actions = this.lookup.get(code);
      if (actions) for (const action of actions) out.add(action);
    }
  }

  /** Presses of `action` since the last call (key repeats do not count). */
  consumePresses(action: InputAction): number {
    const n = this.presses.get(action) ?? 0;
    if (n) this.presses.set(action, 0);
    return n;
  }

  /** Forget every held key and pending press (focus lost: the key-up events will never come). */
  clear(): void {
    this.down.clear();
    this.presses.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.target.removeEventListener('keydown', this.onKeyDown);
    this.target.removeEventListener('keyup', this.onKeyUp);
    this.clear();
  }

  private readonly onKeyDown = (event: Event): void => {
    const e = event as KeyEventLike;
    if (!e.code || isEditable(e.target)) return;
    const actions = this.lookup.get(e.code);
    if (!actions) return;
    e.preventDefault();
    if (!e.repeat && !this.down.has(e.code)) {
      for (const action of actions) this.presses.set(action, (this.presses.get(action) ?? 0) + 1);
    }
    this.down.add(e.code);
  };

  private readonly onKeyUp = (event: Event): void => {
    const e = event as KeyEventLike;
    if (e.code) this.down.delete(e.code);
  };
}

function isEditable(target: EventTarget | null): boolean {
  const element = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!element || typeof element.tagName !== 'string') return false;
  return element.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName);
}
