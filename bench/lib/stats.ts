/** Median and spread of interleaved Courier / reference repetitions, and their ratio. */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  if (values.length === 0) throw new Error('no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const at = (i: number) => sorted[i] ?? NaN;
  const median = sorted.length % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
  return { median, min: at(0), max: at(sorted.length - 1) };
}

/**
 * Runs `runs` repetitions, alternating which side goes first so that neither always meets a warm or
 * a cold cache, or the other engineers' load at the same phase. Each side returns a throughput
 * (bigger is better); the ratio is taken per repetition, Courier over reference.
 */
export async function interleave(runs: number, courier: () => Promise<number>, reference: () => Promise<number>) {
  const c: number[] = [];
  const r: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    let a: number;
    let b: number;
    if (i % 2 === 0) {
      a = await courier();
      b = await reference();
    } else {
      b = await reference();
      a = await courier();
    }
    c.push(a);
    r.push(b);
    ratios.push(a / b);
  }
  return { courier: spread(c), reference: spread(r), ratio: spread(ratios), runs };
}

/**
 * `runs` repetitions of several sides, the order rotated each repetition (as `interleave` does for
 * two); returns each side's values in repetition order, so ratios can be taken per repetition.
 */
export async function rotate(runs: number, sides: Array<() => Promise<number>>): Promise<number[][]> {
  const values = sides.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < sides.length; k++) {
      const side = (i + k) % sides.length;
      values[side]?.push(await (sides[side] as () => Promise<number>)());
    }
  }
  return values;
}

/** Per-repetition ratios of `a` over `b`, with the spreads of both. */
export function ratioOf(a: number[], b: number[], runs: number) {
  return { courier: spread(a), reference: spread(b), ratio: spread(a.map((v, i) => v / (b[i] ?? NaN))), runs };
}
