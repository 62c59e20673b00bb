import { NextframeError } from '../../../worldmodel/index.ts';

/** An option's text as a positive integer, or an error naming the flag and what was found. */
export function positiveInteger(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new NextframeError('bad-argument', `${flag} must be a positive integer, found "${text}".`);
  return n;
}
