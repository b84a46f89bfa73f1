/** Points a curve keeps: an hour at one a second; longer runs are sampled coarser. */
export const MAX_POINTS = 3600;

/** Seconds per point for a curve of `seconds` per-second values. */
export function curveStep(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / MAX_POINTS));
}

/** A per-second curve at `step` seconds a point: each point the sum of its seconds (`sum`, for counts) or the last of them (for levels). */
export function sampleCurve(perSecond: ArrayLike<number>, step: number, sum: boolean): number[] {
  const out: number[] = [];
  for (let s = 0; s < perSecond.length; s += step) {
    const end = Math.min(perSecond.length, s + step);
    if (!sum) out.push(perSecond[end - 1]!);
    else {
      let n = 0;
      for (let k = s; k < end; k++) n += perSecond[k]!;
      out.push(n);
    }
  }
  return out;
}
