import { mouseToLook, type LookSettings } from './intentFromInput.ts';

export interface PointerLookOptions {
  /** The element that takes clicks and drags (the game canvas). */
  element: EventTarget & { requestPointerLock?: () => unknown };
  /** The document that reports pointer-lock changes. Default: `document`. */
  document?: EventTarget & { pointerLockElement?: unknown; exitPointerLock?: () => void };
  /** Ask for pointer lock on the first click. Default true; without lock, dragging looks. */
  lockOnClick?: boolean;
  look?: LookSettings;
}

interface PointerEventLike extends Event {
  pointerType?: string;
  pointerId?: number;
  button?: number;
  clientX?: number;
  clientY?: number;
  movementX?: number;
  movementY?: number;
}

/** A press shorter than this and moving less than CLICK_SLOP pixels is a click (throws). */
const CLICK_MS = 400;
const CLICK_SLOP = 5;

/**
 * Mouse look: with pointer lock, raw mouse movement turns the view; without it (not granted,
 * e.g. headless browsers or iframes, or not wanted), dragging with the button held does. A short
 * click counts as a throw. Touch pointers are left to the joysticks. Listens on the element and
 * the document: `dispose()`.
 */
export class PointerLook {
  /** Pointer lock is held by the element. */
  locked = false;
  private readonly element: PointerLookOptions['element'];
  private readonly doc: NonNullable<PointerLookOptions['document']> | null;
  private readonly lockOnClick: boolean;
  private readonly look: LookSettings;
  private readonly delta = { yaw: 0, pitch: 0 };
  private drag: { id: number; x: number; y: number; travelled: number; at: number } | null = null;
  private clicks = 0;
  private disposed = false;

  constructor(options: PointerLookOptions) {
    this.element = options.element;
    this.doc = options.document ?? (typeof document === 'undefined' ? null : document);
    this.lockOnClick = options.lockOnClick ?? true;
    this.look = options.look ?? {};
    this.element.addEventListener('pointerdown', this.onDown);
    this.element.addEventListener('pointermove', this.onMove);
    this.element.addEventListener('pointerup', this.onUp);
    this.element.addEventListener('pointercancel', this.onCancel);
    this.doc?.addEventListener('pointerlockchange', this.onLockChange);
  }

  /** Look angles accumulated since the last call, added to `out` (radians). */
  consume(out: { yaw: number; pitch: number }): void {
    out.yaw += this.delta.yaw;
    out.pitch += this.delta.pitch;
    this.delta.yaw = this.delta.pitch = 0;
  }

  /** Clicks since the last call. */
  consumeClicks(): number {
    const n = this.clicks;
    this.clicks = 0;
    return n;
  }

  /** Drop pending movement and any drag in progress; release pointer lock. */
  clear(): void {
    this.delta.yaw = this.delta.pitch = 0;
    this.drag = null;
    this.clicks = 0;
    if (this.locked) this.doc?.exitPointerLock?.();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
    this.element.removeEventListener('pointerdown', this.onDown);
    this.element.removeEventListener('pointermove', this.onMove);
    this.element.removeEventListener('pointerup', this.onUp);
    this.element.removeEventListener('pointercancel', this.onCancel);
    this.doc?.removeEventListener('pointerlockchange', this.onLockChange);
  }

  private readonly onDown = (event: Event): void => {
    const e = event as PointerEventLike;
    if (e.pointerType === 'touch' || (e.button ?? 0) !== 0) return;
    this.drag = { id: e.pointerId ?? 1, x: e.clientX ?? 0, y: e.clientY ?? 0, travelled: 0, at: event.timeStamp };
    if (this.lockOnClick && !this.locked) this.requestLock();
  };

  private readonly onMove = (event: Event): void => {
    const e = event as PointerEventLike;
    if (e.pointerType === 'touch') return;
    if (this.locked) {
      mouseToLook(e.movementX ?? 0, e.movementY ?? 0, this.look, this.delta);
      if (this.drag) this.drag.travelled += Math.abs(e.movementX ?? 0) + Math.abs(e.movementY ?? 0);
      return;
    }
    const drag = this.drag;
    if (!drag || drag.id !== (e.pointerId ?? 1)) return;
    const x = e.clientX ?? drag.x;
    const y = e.clientY ?? drag.y;
    mouseToLook(x - drag.x, y - drag.y, this.look, this.delta);
    drag.travelled += Math.abs(x - drag.x) + Math.abs(y - drag.y);
    drag.x = x;
    drag.y = y;
  };

  private readonly onUp = (event: Event): void => {
    const drag = this.drag;
    if (!drag) return;
    this.drag = null;
    if (drag.travelled < CLICK_SLOP && event.timeStamp - drag.at < CLICK_MS) this.clicks++;
  };

  private readonly onCancel = (): void => {
    this.drag = null;
  };

  private readonly onLockChange = (): void => {
    this.locked = this.doc?.pointerLockElement === this.element;
  };

  private requestLock(): void {
    try {
      const request = this.element.requestPointerLock?.();
      // Chromium returns a promise that rejects when lock is refused (headless, iframes, too soon
      // after an exit); dragging still looks, so the refusal is not an error.
      if (request && typeof (request as Promise<void>).catch === 'function') (request as Promise<void>).catch(() => undefined);
    } catch {
      // Older browsers throw synchronously in the same cases.
    }
  }
}
