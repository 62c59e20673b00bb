import { describe, expect, it } from 'vitest';
import { NextframeError } from '../../worldmodel/errors.ts';
import { parseManifest } from '../../worldmodel/parseManifest.ts';
import { validManifest } from './manifestFixture.ts';

function errorOf(raw: unknown): NextframeError {
  try {
    parseManifest(raw);
  } catch (error) {
    if (error instanceof NextframeError) return error;
    throw error;
  }
  throw new Error('expected parseManifest to throw');
}

describe('parseManifest', () => {
  it('accepts a valid manifest', () => {
    const m = parseManifest(validManifest());
    expect(m.id).toBe('unit');
    expect(m.actions.map((a) => a.name)).toEqual(['forward', 'yaw', 'jump']);
  });

  it('names the field, the expectation and the value found', () => {
    const raw = { ...validManifest(), resolution: { width: -3, height: 8 } };
    const error = errorOf(raw);
    expect(error.code).toBe('manifest-invalid');
    expect(error.message).toMatch(/field "resolution\.width"/);
    expect(error.message).toMatch(/found -3/);
  });

  it('lists every problem at once', () => {
    const raw: Record<string, unknown> = { ...validManifest(), tickHz: 'fast', contextFrames: 0 };
    delete raw.id;
    const error = errorOf(raw);
    expect(error.message).toMatch(/3 problems/);
    expect(error.message).toMatch(/"tickHz".*found "fast"/);
    expect(error.message).toMatch(/"contextFrames"/);
    expect(error.message).toMatch(/"id".*found nothing/);
  });

  it('rejects input shapes that disagree with resolution, K and A', () => {
    const raw = validManifest();
    raw.inputs[2] = { name: 'context', dtype: 'float32', shape: ['batch', 9, 8, 8] };
    raw.inputs[3] = { name: 'actions', dtype: 'float32', shape: ['batch', 2, 7] };
    const error = errorOf(raw);
    expect(error.message).toMatch(/context.*expected \[batch, 6, 8, 8\], found \[batch, 9, 8, 8\]/);
    expect(error.message).toMatch(/actions.*expected \[batch, 2, 3\]/);
  });

  it('requires an input for every conditioning stream', () => {
    const raw = validManifest();
    raw.conditioning = ['context', 'actions', 'depth'];
    expect(errorOf(raw).message).toMatch(/input named "depth"/);
  });

  it('rejects even axis bins and non-binary buttons', () => {
    const raw = validManifest();
    raw.actions[0]!.bins = 8;
    raw.actions[2]!.bins = 3;
    const message = errorOf(raw).message;
    expect(message).toMatch(/actions\.0\.bins.*odd/);
    expect(message).toMatch(/actions\.2\.bins.*2 for a button/);
  });

  it('rejects a non-object with a readable message', () => {
    expect(errorOf('hello').message).toMatch(/field "\(root\)".*found "hello"/);
  });
});
