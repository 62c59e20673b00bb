import { describe, expect, it } from 'vitest';
import type { OrtSession } from '../../worldmodel/OrtSession.ts';
import { SharedSession } from '../../worldmodel/SharedSession.ts';
import { validManifest } from './manifestFixture.ts';

/** A session that only counts its disposals. */
function fakeSession() {
  const state = { disposed: 0 };
  const session = {
    async dispose() {
      state.disposed++;
    },
  } as unknown as OrtSession;
  return { session, state };
}

describe('SharedSession', () => {
  it('allocates a batch per size once and lends it to one run at a time', () => {
    const shared = new SharedSession(fakeSession().session, validManifest(), { steps: 2 });
    const one = shared.takeBatch(1);
    expect(one.size).toBe(1);
    // A second run of the same size while the first holds its batch gets buffers of its own.
    const another = shared.takeBatch(1);
    expect(another).not.toBe(one);
    expect(another.items[0]!.context).not.toBe(one.items[0]!.context);
    const four = shared.takeBatch(4);
    expect(four.size).toBe(4);
    shared.giveBack(one);
    shared.giveBack(four);
    expect(shared.takeBatch(1)).toBe(one);
    expect(shared.takeBatch(4)).toBe(four);
    expect(shared.takeBatch(1)).not.toBe(one); // `one` is out again; `another` was never given back
  });

  it('releases the session when the last user leaves, not before', async () => {
    const { session, state } = fakeSession();
    const shared = new SharedSession(session, validManifest(), {});
    shared.join();
    shared.join();
    await shared.leave();
    expect(state.disposed).toBe(0);
    await shared.leave();
    expect(state.disposed).toBe(1);
  });
});
