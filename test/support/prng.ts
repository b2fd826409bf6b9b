// mulberry32: a small seeded generator, so the same seed gives the same kill points, inputs and
// schedules on every machine. Every reliability test prints the seed it used;
// PASS_RELIABILITY_SEED picks another.
export type Random = () => number;

export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [lo, hi]. */
export const between = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

export const RELIABILITY_SEED = Number(process.env.PASS_RELIABILITY_SEED ?? 20260310);
