import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../../engine/runtime/plugin/Emitter.ts';

describe('Emitter', () => {
  it('delivers typed events and unsubscribes with the returned function', () => {
    const emitter = new Emitter<{ frame: { tick: number }; error: Error }>();
    const ticks: number[] = [];
    const off = emitter.on('frame', (e) => ticks.push(e.tick));
    emitter.emit('frame', { tick: 1 });
    off();
    emitter.emit('frame', { tick: 2 });
    expect(ticks).toEqual([1]);
    expect(emitter.count('frame')).toBe(0);
  });

  it('keeps calling the other listeners when one throws', () => {
    const emitter = new Emitter<{ frame: number }>();
    const seen: number[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    emitter.on('frame', () => {
      throw new Error('boom');
    });
    emitter.on('frame', (n) => seen.push(n));
    emitter.emit('frame', 7);
    expect(seen).toEqual([7]);
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
    emitter.clear();
    expect(emitter.count('frame')).toBe(0);
  });
});
