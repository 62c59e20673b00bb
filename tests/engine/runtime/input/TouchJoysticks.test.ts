import type { create as createJoysticks } from 'nipplejs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InputAction } from '../../../../engine/runtime/input/Bindings.ts';
import { isTouchDevice, TouchJoysticks } from '../../../../engine/runtime/input/TouchJoysticks.ts';
import { CountingTarget } from './fakeDom.ts';

// Node has no DOM and nipplejs needs a real one (tests/e2e/demo.spec.ts drags the real sticks on
// a phone-sized page). Here stand-ins play the document and nipplejs, so what is checked is
// TouchJoysticks' own work: the layer it builds, what it asks nipplejs for, how stick events and
// button presses become input, and that dispose undoes all of it.

/** Just enough of an HTML element: children, style, attributes, listeners (counted). */
class FakeElement extends CountingTarget {
  className = '';
  textContent = '';
  type = '';
  readonly style: Record<string, string> = {};
  readonly children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  parent: FakeElement | null = null;
  constructor(readonly tagName: string) {
    super();
  }
  append(...nodes: FakeElement[]): void {
    for (const node of nodes) {
      node.parent = this;
      this.children.push(node);
    }
  }
  remove(): void {
    if (!this.parent) return;
    this.parent.children.splice(this.parent.children.indexOf(this), 1);
    this.parent = null;
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  find(className: string): FakeElement | undefined {
    for (const child of this.children) {
      if (child.className.split(' ').includes(className)) return child;
      const below = child.find(className);
      if (below) return below;
    }
    return undefined;
  }
}

/** A stand-in nipplejs collection: the options it was made with, its handlers, whether it was destroyed. */
interface FakeCollection {
  options: { zone: FakeElement; mode: string; size: number; position: Record<string, string> };
  handlers: Map<string, (event: unknown) => void>;
  destroyed: number;
}

let body: FakeElement;
let collections: FakeCollection[];
const create = ((options: FakeCollection['options']) => {
  const collection: FakeCollection = { options, handlers: new Map(), destroyed: 0 };
  collections.push(collection);
  return {
    on: (type: string, handler: (event: unknown) => void) => void collection.handlers.set(type, handler),
    destroy: () => void collection.destroyed++,
  };
}) as unknown as typeof createJoysticks;

/** nipplejs's event for a stick pushed to `vector`. */
const moveTo = (collection: FakeCollection, x: number, y: number): void => collection.handlers.get('move')!({ data: { vector: { x, y } } });
const release = (collection: FakeCollection): void => collection.handlers.get('end')!({});
const press = (button: FakeElement, type = 'pointerdown'): Event => {
  const event = new Event(type, { cancelable: true });
  button.dispatchEvent(event);
  return event;
};

beforeEach(() => {
  body = new FakeElement('body');
  collections = [];
  vi.stubGlobal('document', { body, createElement: (tag: string) => new FakeElement(tag) });
});
afterEach(() => {
  vi.unstubAllGlobals();
});

describe('TouchJoysticks (stand-in document and nipplejs)', () => {
  it('builds one layer over the page with a walk zone left, a look zone right, and Jump and Throw buttons', () => {
    const touch = new TouchJoysticks(create);
    expect(body.children).toEqual([touch.element]); // the default parent: the page's body
    const layer = touch.element as unknown as FakeElement;
    expect(layer.className).toBe('nf-touch');
    expect(layer.style).toMatchObject({ position: 'fixed', inset: '0', pointerEvents: 'none' }); // the page stays usable between the zones
    const moveZone = layer.find('nf-joystick-move')!;
    const lookZone = layer.find('nf-joystick-look')!;
    expect(moveZone.style).toMatchObject({ left: '0', pointerEvents: 'auto', touchAction: 'none' });
    expect(lookZone.style).toMatchObject({ right: '0', pointerEvents: 'auto', touchAction: 'none' });
    // One static nipplejs stick per zone, 120 px across, centred 0.9 of its size in from the corner.
    expect(collections.map((c) => c.options.zone)).toEqual([moveZone, lookZone]);
    expect(collections[0]!.options).toMatchObject({ mode: 'static', size: 120, position: { left: '108px', bottom: '108px' } });
    expect(collections[1]!.options).toMatchObject({ mode: 'static', size: 120, position: { right: '108px', bottom: '108px' } });
    const buttons = layer.children.filter((c) => c.tagName === 'button');
    expect(buttons.map((b) => [b.className, b.textContent, b.attributes.get('aria-label'), b.type])).toEqual([
      ['nf-touch-button nf-touch-jump', 'Jump', 'Jump', 'button'],
      ['nf-touch-button nf-touch-throw', 'Throw', 'Throw', 'button'],
    ]);
    touch.dispose();
  });

  it('takes its parent, stick size and buttons from the options', () => {
    const parent = new FakeElement('div');
    const touch = new TouchJoysticks(create, { parent: parent as unknown as HTMLElement, size: 100, buttons: ['interact'] });
    expect(parent.children).toEqual([touch.element]);
    expect(body.children).toEqual([]);
    expect(collections[0]!.options).toMatchObject({ size: 100, position: { left: '90px', bottom: '90px' } });
    const layer = touch.element as unknown as FakeElement;
    expect(layer.find('nf-touch-interact')?.textContent).toBe('Push');
    expect(layer.find('nf-touch-jump')).toBeUndefined();
    touch.dispose();
  });

  it('follows each stick while it is pushed and centres it on release', () => {
    const touch = new TouchJoysticks(create);
    const [walk, look] = collections as [FakeCollection, FakeCollection];
    moveTo(walk, 0.5, -1);
    expect(touch.move).toEqual({ x: 0.5, y: -1 });
    expect(touch.look).toEqual({ x: 0, y: 0 }); // the other stick is its own
    moveTo(look, -0.25, 0.75);
    expect(touch.look).toEqual({ x: -0.25, y: 0.75 });
    release(walk);
    expect(touch.move).toEqual({ x: 0, y: 0 });
    expect(touch.look).toEqual({ x: -0.25, y: 0.75 });
    touch.dispose();
  });

  it('holds a button while it is down and counts one press per touch, however often the touch repeats', () => {
    const touch = new TouchJoysticks(create, { buttons: ['jump', 'throw'] });
    const layer = touch.element as unknown as FakeElement;
    const jump = layer.find('nf-touch-jump')!;
    const held = (): InputAction[] => {
      const out = new Set<InputAction>();
      touch.collect(out);
      return [...out];
    };
    expect(press(jump).defaultPrevented).toBe(true); // no emulated mouse events or text selection
    press(jump); // a second pointerdown of the same touch
    expect(held()).toEqual(['jump']);
    expect(touch.consumePresses('jump')).toBe(1);
    expect(touch.consumePresses('jump')).toBe(0); // consumed
    expect(touch.consumePresses('throw')).toBe(0);
    press(jump, 'pointerup');
    expect(held()).toEqual([]);
    // Each way a touch ends releases the button; each new touch is a new press.
    for (const end of ['pointerup', 'pointercancel', 'pointerleave']) {
      press(jump);
      press(jump, end);
      expect(held(), end).toEqual([]);
    }
    expect(touch.consumePresses('jump')).toBe(3);
    touch.dispose();
  });

  it('clear centres both sticks and forgets held buttons and presses', () => {
    const touch = new TouchJoysticks(create);
    moveTo(collections[0]!, 1, 1);
    moveTo(collections[1]!, -1, -1);
    press((touch.element as unknown as FakeElement).find('nf-touch-throw')!);
    touch.clear();
    expect([touch.move, touch.look]).toEqual([{ x: 0, y: 0 }, { x: 0, y: 0 }]);
    const out = new Set<InputAction>();
    touch.collect(out);
    expect(out.size).toBe(0);
    expect(touch.consumePresses('throw')).toBe(0);
    touch.dispose();
  });

  it('dispose destroys both sticks, removes the layer and every button listener, once', () => {
    const touch = new TouchJoysticks(create);
    const layer = touch.element as unknown as FakeElement;
    const buttons = layer.children.filter((c) => c.tagName === 'button');
    expect(buttons.map((b) => b.listeners)).toEqual([4, 4]); // down, up, cancel, leave
    moveTo(collections[0]!, 1, 0);
    press(buttons[0]!);
    touch.dispose();
    expect(collections.map((c) => c.destroyed)).toEqual([1, 1]);
    expect(body.children).toEqual([]);
    expect(buttons.map((b) => b.listeners)).toEqual([0, 0]);
    expect(touch.move).toEqual({ x: 0, y: 0 });
    const out = new Set<InputAction>();
    touch.collect(out);
    expect(out.size).toBe(0);
    touch.dispose(); // twice is harmless
    expect(collections.map((c) => c.destroyed)).toEqual([1, 1]);
  });
});

describe('isTouchDevice', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('is false where there is no navigator (Node)', () => {
    vi.stubGlobal('navigator', undefined);
    expect(isTouchDevice()).toBe(false);
  });

  it('is true when touch points exist or the main pointer is coarse, false otherwise', () => {
    const media = (coarse: boolean) => (query: string) => ({ matches: coarse && query === '(pointer: coarse)' });
    vi.stubGlobal('navigator', { maxTouchPoints: 5 });
    vi.stubGlobal('matchMedia', media(false));
    expect(isTouchDevice()).toBe(true); // a laptop with a touch screen
    vi.stubGlobal('navigator', { maxTouchPoints: 0 });
    vi.stubGlobal('matchMedia', media(true));
    expect(isTouchDevice()).toBe(true);
    vi.stubGlobal('matchMedia', media(false));
    expect(isTouchDevice()).toBe(false); // a desktop with a mouse
    vi.stubGlobal('matchMedia', undefined);
    vi.stubGlobal('navigator', {});
    expect(isTouchDevice()).toBe(false); // an old browser without either
  });
});
