/**
 * A small, fast seeded PRNG (mulberry32): the same seed always gives the same sequence, so an
 * edit with a given seed can be reproduced exactly. Not for anything secret.
 *
 * @example
 * ```ts
 * const random = mulberry32(42);
 * random(); // 0 ≤ x < 1, the same on every run
 * ```
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal samples (mean 0, deviation 1) drawn from `random` by the Box–Muller
 * transform; each pair of uniforms yields two samples, the second kept for the next call.
 *
 * @example
 * ```ts
 * const normal = gaussian(mulberry32(42));
 * const grain = 3 * normal(); // deviation 3
 * ```
 */
export function gaussian(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random())); // 1 - u avoids log(0)
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}
