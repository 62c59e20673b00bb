import type { create as createJoysticks } from 'nipplejs';
import type { InputAction } from './Bindings.ts';

type Collection = ReturnType<typeof createJoysticks>;

export interface TouchJoysticksOptions {
  /** Element the joystick layer is added to. Default: `document.body`. */
  parent?: HTMLElement;
  /** Outer circle size, CSS pixels. Default 120. */
  size?: number;
  /** Touch buttons to show, bottom-right above the look stick. Default: jump and throw. */
  buttons?: readonly ('jump' | 'interact' | 'throw')[];
}

const LABELS: Record<'jump' | 'interact' | 'throw', string> = { jump: 'Jump', interact: 'Push', throw: 'Throw' };

/**
 * Twin nipplejs joysticks for touch screens: the left one walks, the right one looks; plus a
 * few round buttons. Everything lives in one fixed layer over the page: `dispose()` removes it
 * and the joysticks' listeners. `TouchJoysticks.load()` fetches nipplejs on demand (it touches
 * `window` as soon as it is imported, so it must never load in Node or on desktops).
 */
export class TouchJoysticks {
  /** Walk stick, x right, y forward, in [−1, 1]. */
  readonly move = { x: 0, y: 0 };
  /** Look stick, x right, y up, in [−1, 1]. */
  readonly look = { x: 0, y: 0 };
  /** The layer holding the zones and buttons (class `nf-touch`). */
  readonly element: HTMLDivElement;
  private readonly collections: Collection[] = [];
  private readonly held = new Set<InputAction>();
  private readonly presses = new Map<InputAction, number>();
  private readonly cleanups: (() => void)[] = [];
  private disposed = false;

  /** Load nipplejs and make the joysticks. */
  static async load(options: TouchJoysticksOptions = {}): Promise<TouchJoysticks> {
    const nipplejs = await import('nipplejs');
    return new TouchJoysticks(nipplejs.create, options);
  }

  /** With nipplejs's `create` already at hand (see `load`). */
  constructor(create: typeof createJoysticks, options: TouchJoysticksOptions = {}) {
    const parent = options.parent ?? document.body;
    const size = options.size ?? 120;
    const layer = (this.element = document.createElement('div'));
    layer.className = 'nf-touch';
    Object.assign(layer.style, { position: 'fixed', inset: '0', pointerEvents: 'none', zIndex: '5', userSelect: 'none', webkitUserSelect: 'none' });
    parent.append(layer);

    const stick = (side: 'left' | 'right', out: { x: number; y: number }): void => {
      const zone = document.createElement('div');
      zone.className = `nf-joystick-zone nf-joystick-${side === 'left' ? 'move' : 'look'}`;
      Object.assign(zone.style, { position: 'absolute', bottom: '0', [side]: '0', width: '50%', height: '60%', pointerEvents: 'auto', touchAction: 'none' });
      layer.append(zone);
      const collection = create({
        zone,
        mode: 'static',
        position: { [side]: `${Math.round(size * 0.9)}px`, bottom: `${Math.round(size * 0.9)}px` },
        size,
        color: { front: 'rgba(255, 255, 255, 0.8)', back: 'rgba(255, 255, 255, 0.22)' },
        restOpacity: 0.75,
      });
      collection.on('move', (event) => {
        out.x = event.data.vector.x;
        out.y = event.data.vector.y;
      });
      collection.on('end', () => {
        out.x = out.y = 0;
      });
      this.collections.push(collection);
    };
    stick('left', this.move);
    stick('right', this.look);

    (options.buttons ?? ['jump', 'throw']).forEach((action, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `nf-touch-button nf-touch-${action}`;
      button.textContent = LABELS[action];
      button.setAttribute('aria-label', LABELS[action]);
      Object.assign(button.style, {
        position: 'absolute', right: `${16 + i * 76}px`, bottom: `${Math.round(size * 1.9) + 24}px`, width: '64px', height: '64px',
        borderRadius: '50%', border: '2px solid #fff8', background: '#0006', color: '#fff', font: '600 13px system-ui, sans-serif',
        pointerEvents: 'auto', touchAction: 'none',
      });
      const press = (e: Event): void => {
        e.preventDefault();
        if (!this.held.has(action)) this.presses.set(action, (this.presses.get(action) ?? 0) + 1);
        this.held.add(action);
      };
      const release = (): void => void this.held.delete(action);
      button.addEventListener('pointerdown', press);
      button.addEventListener('pointerup', release);
      button.addEventListener('pointercancel', release);
      button.addEventListener('pointerleave', release);
      this.cleanups.push(() => {
        button.removeEventListener('pointerdown', press);
        button.removeEventListener('pointerup', release);
        button.removeEventListener('pointercancel', release);
        button.removeEventListener('pointerleave', release);
      });
      layer.append(button);
    });
  }

  /** Add held touch buttons to `out`. */
  collect(out: Set<InputAction>): void {
    for (const action of this.held) out.add(action);
  }

  consumePresses(action: InputAction): number {
    const n = this.presses.get(action) ?? 0;
    if (n) this.presses.set(action, 0);
    return n;
  }

  /** Centre both sticks and release the buttons (focus lost mid-touch). */
  clear(): void {
    this.move.x = this.move.y = this.look.x = this.look.y = 0;
    this.held.clear();
    this.presses.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const collection of this.collections) collection.destroy();
    for (const cleanup of this.cleanups) cleanup();
    this.element.remove();
    this.clear();
  }
}

/** A touch screen is the main pointer, or touch points exist. */
export function isTouchDevice(): boolean {
  if (typeof navigator === 'undefined') return false;
  const coarse = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
  return coarse || (navigator.maxTouchPoints ?? 0) > 0;
}
