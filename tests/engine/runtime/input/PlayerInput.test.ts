import { describe, expect, it } from 'vitest';
import type { GamepadLike } from '../../../../engine/runtime/input/GamepadInput.ts';
import { PlayerInput } from '../../../../engine/runtime/input/PlayerInput.ts';
import { IDLE_INTENT, type Intent } from '../../../../engine/runtime/physics/CharacterController.ts';
import { CountingTarget, FakeCanvas, FakeDocument, key, pointer } from './fakeDom.ts';

function setup(getGamepads: () => readonly (GamepadLike | null)[] = () => []) {
  const win = new CountingTarget();
  const doc = new FakeDocument();
  const canvas = new FakeCanvas(doc);
  const pauses: boolean[] = [];
  const input = new PlayerInput({ element: canvas, window: win, document: doc, touch: false, getGamepads, onPauseChange: (p) => pauses.push(p) });
  const read = (): { intent: Intent; look: { yaw: number; pitch: number } } => {
    const look = { yaw: 0, pitch: 0 };
    return { intent: input.read({ ...IDLE_INTENT }, look), look };
  };
  return { win, doc, canvas, input, read, pauses };
}

describe('PlayerInput', () => {
  it('merges keyboard, mouse and gamepad into one intent', () => {
    const stick = { connected: true, mapping: 'standard', axes: [1, 0, 0, 0], buttons: [{ pressed: true, value: 1 }] };
    const { win, canvas, input, read } = setup(() => [stick]);
    win.dispatchEvent(key('keydown', 'KeyW'));
    canvas.dispatchEvent(pointer('pointerdown', { clientX: 0, clientY: 0 }));
    canvas.dispatchEvent(pointer('pointermove', { clientX: 40, clientY: 0 }));
    const { intent, look } = read();
    expect(intent.forward).toBe(1);
    expect(intent.strafe).toBe(1); // the stick pushed right
    expect(intent.jump).toBe(true); // A held
    expect(look.yaw).toBeLessThan(0); // dragged right: turn right
    input.dispose();
  });

  it('pauses when the page loses focus: nothing stays held, and it resumes on focus', () => {
    const { win, input, read, pauses } = setup();
    win.dispatchEvent(key('keydown', 'KeyW'));
    expect(read().intent.forward).toBe(1);
    win.dispatchEvent(new Event('blur'));
    expect(input.paused).toBe(true);
    expect(read().intent).toEqual(IDLE_INTENT);
    win.dispatchEvent(key('keydown', 'KeyT')); // pressed while away…
    win.dispatchEvent(new Event('focus'));
    expect(input.paused).toBe(false);
    // …and W's key-up was never seen: it must not be stuck down after coming back.
    expect(read().intent.forward).toBe(0);
    expect(pauses).toEqual([true, false]);
    input.dispose();
  });

  it('pauses while the tab is hidden', () => {
    const { doc, win, input, read } = setup();
    doc.hidden = true;
    doc.dispatchEvent(new Event('visibilitychange'));
    win.dispatchEvent(key('keydown', 'KeyW'));
    expect(input.paused).toBe(true);
    expect(read().intent).toEqual(IDLE_INTENT);
    expect(input.consumeThrows()).toBe(0);
    doc.hidden = false;
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(input.paused).toBe(false);
    input.dispose();
  });

  it('counts throws from clicks and the throw key', () => {
    const { win, canvas, input } = setup();
    canvas.dispatchEvent(pointer('pointerdown', { clientX: 0, clientY: 0 }));
    canvas.dispatchEvent(pointer('pointerup', {}));
    win.dispatchEvent(key('keydown', 'KeyT'));
    expect(input.consumeThrows()).toBe(2);
    expect(input.consumeThrows()).toBe(0);
    input.dispose();
  });

  it('removes every listener on dispose', async () => {
    const { win, doc, canvas, input } = setup();
    await input.touchReady;
    expect(win.listeners).toBeGreaterThan(0);
    input.dispose();
    input.dispose();
    expect(win.listeners).toBe(0);
    expect(doc.listeners).toBe(0);
    expect(canvas.listeners).toBe(0);
  });
});
