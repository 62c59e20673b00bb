/**
 * A speculated branch's noise seed: the model's seed and the tick it paints, mixed
 * (splitmix-style) so nearby ticks get unrelated noise. Depending on nothing else, a branch
 * paints the same frame whichever branches share its run and whenever it runs.
 */
export function noiseSeed(seed: number, tick: number): number {
  let z = (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(tick, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x2c1b3c6d) >>> 0;
  return (z ^ (z >>> 12)) >>> 0;
}
