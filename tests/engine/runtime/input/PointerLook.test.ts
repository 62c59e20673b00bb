import { describe, expect, it } from 'vitest';
import { PointerLook } from '../../../../engine/runtime/input/PointerLook.ts';
import { FakeCanvas, FakeDocument, pointer } from './fakeDom.ts';

const look = (p: PointerLook) => {
  const out = { yaw: 0, pitch: 0 };
  p.consume(out);
  return out;
};

describe('PointerLook', () => {
  it('turns the view by dragging when pointer lock is refused (headless browsers, iframes)', async () => {
    const doc = new FakeDocument();
    const canvas = new FakeCanvas(doc, false);
    const p = new PointerLook({ element: canvas, document: doc, look: { mouseSensitivity: 0.01 } });
    canvas.dispatchEvent(pointer('pointerdown', { clientX: 100, clientY: 100 }));
    await Promise.resolve(); // the refused lock request settles without an unhandled rejection
    expect(canvas.lockRequests).toBe(1);
    expect(p.locked).toBe(false);
    canvas.dispatchEvent(pointer('pointermove', { clientX: 150, clientY: 90 }));
    canvas.dispatchEvent(pointer('pointermove', { clientX: 160, clientY: 90 }));
    const l = look(p);
    expect(l.yaw).toBeCloseTo(-0.6); // 60 px right: turn right
    expect(l.pitch).toBeCloseTo(0.1); // 10 px up: look up
    expect(look(p)).toEqual({ yaw: 0, pitch: 0 }); // consumed
    canvas.dispatchEvent(pointer('pointerup', {}));
    expect(p.consumeClicks()).toBe(0); // a drag is not a click
    canvas.dispatchEvent(pointer('pointermove', { clientX: 300, clientY: 90 }));
    expect(look(p).yaw).toBe(0); // moving without the button does nothing unlocked
    p.dispose();
  });

  it('uses raw movement under pointer lock', () => {
    const doc = new FakeDocument();
    const canvas = new FakeCanvas(doc, true);
    const p = new PointerLook({ element: canvas, document: doc, look: { mouseSensitivity: 0.01 } });
    canvas.dispatchEvent(pointer('pointerdown', { clientX: 0, clientY: 0 }));
    canvas.dispatchEvent(pointer('pointerup', {}));
    expect(p.locked).toBe(true);
    canvas.dispatchEvent(pointer('pointermove', { movementX: -20, movementY: 5 }));
    const l = look(p);
    expect(l.yaw).toBeCloseTo(0.2);
    expect(l.pitch).toBeCloseTo(-0.05);
    p.clear(); // focus lost: lock released
    expect(p.locked).toBe(false);
    p.dispose();
  });

  it('counts short presses as clicks and leaves touch pointers to the joysticks', () => {
    const doc = new FakeDocument();
    const canvas = new FakeCanvas(doc);
    const p = new PointerLook({ element: canvas, document: doc, lockOnClick: false });
    canvas.dispatchEvent(pointer('pointerdown', { clientX: 5, clientY: 5 }));
    canvas.dispatchEvent(pointer('pointerup', {}));
    expect(p.consumeClicks()).toBe(1);
    expect(canvas.lockRequests).toBe(0);
    canvas.dispatchEvent(pointer('pointerdown', { pointerType: 'touch', clientX: 5, clientY: 5 }));
    canvas.dispatchEvent(pointer('pointermove', { pointerType: 'touch', clientX: 80, clientY: 5 }));
    canvas.dispatchEvent(pointer('pointerup', { pointerType: 'touch' }));
    expect(look(p)).toEqual({ yaw: 0, pitch: 0 });
    expect(p.consumeClicks()).toBe(0);
    p.dispose();
  });

  it('removes its listeners on dispose', () => {
    const doc = new FakeDocument();
    const canvas = new FakeCanvas(doc);
    const p = new PointerLook({ element: canvas, document: doc });
    expect(canvas.listeners).toBe(4);
    expect(doc.listeners).toBe(1);
    p.dispose();
    expect(canvas.listeners).toBe(0);
    expect(doc.listeners).toBe(0);
  });
});
