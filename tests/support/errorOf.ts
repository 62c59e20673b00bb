import { NextframeError } from '../../worldmodel/errors.ts';

/** The NextframeError `promise` rejects with; anything else (or no rejection) fails the test. */
export async function errorOf(promise: Promise<unknown>): Promise<NextframeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NextframeError) return error;
    throw error;
  }
  throw new Error('expected a NextframeError');
}
