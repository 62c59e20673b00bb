import { describe, expect, it } from 'vitest';
import type { InputAction } from '../../../../engine/runtime/input/Bindings.ts';
import { mergeKeyBindings } from '../../../../engine/runtime/input/Bindings.ts';
import { KeyboardInput } from '../../../../engine/runtime/input/KeyboardInput.ts';
import { CountingTarget, key } from './fakeDom.ts';

const held = (keyboard: KeyboardInput): InputAction[] => {
  const out = new Set<InputAction>();
  keyboard.collect(out);
  return [...out].sort();
};

describe('KeyboardInput', () => {
  it('tracks held keys as actions and releases them on key-up', () => {
    const target = new CountingTarget();
    const keyboard = new KeyboardInput({ target });
    target.dispatchEvent(key('keydown', 'KeyW'));
    target.dispatchEvent(key('keydown', 'ArrowLeft'));
    expect(held(keyboard)).toEqual(['forward', 'turnLeft']);
    target.dispatchEvent(key('keyup', 'KeyW'));
    expect(held(keyboard)).toEqual(['turnLeft']);
    keyboard.dispose();
  });

  it('keeps bound keys from scrolling the page, and leaves other keys alone', () => {
    const target = new CountingTarget();
    const keyboard = new KeyboardInput({ target });
    const space = key('keydown', 'Space');
    const tab = key('keydown', 'Tab');
    target.dispatchEvent(space);
    target.dispatchEvent(tab);
    expect(space.defaultPrevented).toBe(true);
    expect(tab.defaultPrevented).toBe(false);
    keyboard.dispose();
  });

  it('counts presses once per press, not per key repeat', () => {
    const target = new CountingTarget();
    const keyboard = new KeyboardInput({ target });
    target.dispatchEvent(key('keydown', 'KeyT'));
    target.dispatchEvent(key('keydown', 'KeyT', { repeat: true }));
    target.dispatchEvent(key('keyup', 'KeyT'));
    target.dispatchEvent(key('keydown', 'KeyT'));
    expect(keyboard.consumePresses('throw')).toBe(2);
    expect(keyboard.consumePresses('throw')).toBe(0);
    keyboard.dispose();
  });

  it('ignores keys typed into text fields', () => {
    const target = new CountingTarget();
    const keyboard = new KeyboardInput({ target });
    const typed = key('keydown', 'KeyW');
    Object.defineProperty(typed, 'target', { value: { tagName: 'INPUT' } });
    target.dispatchEvent(typed);
    expect(held(keyboard)).toEqual([]);
    expect(typed.defaultPrevented).toBe(false);
    keyboard.dispose();
  });

  it('follows custom bindings', () => {
    const target = new CountingTarget();
    const keyboard = new KeyboardInput({ target, bindings: mergeKeyBindings({ forward: ['KeyZ'] }) });
    target.dispatchEvent(key('keydown', 'KeyW'));
    target.dispatchEvent(key('keydown', 'KeyZ'));
    expect(held(keyboard)).toEqual(['forward']);
    keyboard.dispose();
  });

  it('removes its listeners on dispose and forgets held keys', () => {
    const target = new CountingTarget();
    const keyboard = new KeyboardInput({ target });
    expect(target.listeners).toBe(2);
    target.dispatchEvent(key('keydown', 'KeyW'));
    keyboard.dispose();
    keyboard.dispose(); // twice is fine
    expect(target.listeners).toBe(0);
    expect(held(keyboard)).toEqual([]);
  });
});
