import { describe, expect, it, vi } from 'vitest';
import { SuspenseCache } from '../../../../engine/runtime/r3f/SuspenseCache.ts';

const tick = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function cache(graceMs = 0) {
  const loads: string[] = [];
  const freed: string[] = [];
  const c = new SuspenseCache<{ key: string }>({
    load: async (key) => {
      loads.push(key);
      if (key.startsWith('bad')) throw new Error(`no ${key}`);
      return { key };
    },
    free: ({ key }) => void freed.push(key),
    graceMs,
  });
  return { c, loads, freed };
}

describe('SuspenseCache', () => {
  it('hands out the same promise for a key on every call (the one Suspense waits for)', async () => {
    const { c, loads } = cache();
    const a = c.get('a');
    expect(c.get('a')).toBe(a);
    expect(c.get('b')).not.toBe(a);
    expect(await a).toEqual({ key: 'a' });
    expect(loads).toEqual(['a', 'b']);
  });

  it('read throws the promise while loading (Suspense), then gives the value, or throws the error', async () => {
    const { c } = cache();
    let thrown: unknown = null;
    try {
      c.read('a');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(c.get('a'));
    await thrown;
    expect(c.read('a')).toEqual({ key: 'a' });
    await c.get('bad').catch(() => undefined);
    expect(() => c.read('bad')).toThrow('no bad');
  });

  it('frees a value once its last user lets go, after the grace time, and loads it again when asked', async () => {
    const { c, loads, freed } = cache(20);
    await c.get('a');
    const first = c.retain('a');
    const second = c.retain('a');
    first();
    first(); // releasing twice counts once
    expect(c.users('a')).toBe(1);
    second();
    expect(c.has('a')).toBe(true); // kept for the grace time
    await tick(40);
    expect(freed).toEqual(['a']);
    expect(c.has('a')).toBe(false);
    await c.get('a');
    expect(loads).toEqual(['a', 'a']);
  });

  it('keeps a value whose user comes back within the grace time (StrictMode, a quick remount)', async () => {
    const { c, freed } = cache(20);
    const promise = c.get('a');
    await promise;
    c.retain('a')();
    const again = c.retain('a');
    await tick(40);
    expect(freed).toEqual([]);
    expect(c.get('a')).toBe(promise);
    again();
    await tick(40);
    expect(freed).toEqual(['a']);
  });

  it('keeps a failed load (React rethrows it) until clear, then tries again', async () => {
    const { c, loads } = cache();
    const failed = c.get('bad');
    await expect(failed).rejects.toThrow('no bad');
    expect(c.get('bad')).toBe(failed);
    c.clear('bad');
    await expect(c.get('bad')).rejects.toThrow('no bad');
    expect(loads).toEqual(['bad', 'bad']);
  });

  it('clear frees loaded values nobody uses, keeps those in use, and frees a pending one when it arrives', async () => {
    const { c, freed } = cache();
    await c.get('idle');
    await c.get('used');
    c.retain('used');
    const pending = c.get('pending');
    c.clear();
    expect(c.has('idle')).toBe(false);
    expect(c.has('used')).toBe(true);
    expect(c.has('pending')).toBe(false);
    await pending;
    await tick();
    expect(freed.sort()).toEqual(['idle', 'pending']);
  });

  it('reports a free that throws instead of leaving it unhandled', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const c = new SuspenseCache<number>({ load: async () => 1, free: () => Promise.reject(new Error('stuck')) });
    await c.get('a');
    c.clear();
    await tick();
    expect(error).toHaveBeenCalledWith('SuspenseCache: freeing "a" threw:', expect.any(Error));
    error.mockRestore();
  });
});
