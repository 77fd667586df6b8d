/**
 * P10–P90 bands of sums over accounts. Each account's P10 and P90 come from the parameter
 * draws of its model; accounts sharing a model pool move together (one draw of the pool's
 * parameters moves them all, so their deviations add), pools are independent (deviations add
 * in quadrature).
 *
 * The change band pairs the draws: at a pool's P10 draw every account of the pool sits at its
 * P10 under the baseline *and* under the scenario, so the change at that draw is
 * Σ (scenario P10 − baseline P10), at the P90 draw Σ (scenario P90 − baseline P90). The pool's
 * change deviates from its point change by those two amounts (either may be the lower one: a
 * scenario that halves values halves the spread too); pools again add in quadrature. On an
 * empty ledger every account's three values are the baseline's, so the band is exactly zero.
 */

export interface Aggregate {
  readonly accounts: number;
  readonly valueCents: number;
  readonly p10Cents: number;
  readonly p90Cents: number;
}

/** P10 / P50 / P90 of the difference scenario − baseline on shared parameter draws, cents. */
export interface ChangeBand {
  readonly p10Cents: number;
  readonly p50Cents: number;
  readonly p90Cents: number;
}

/**
 * Per (row, pool) sums of deviations from the point value: below and above it for a level,
 * at the pool's P10 draw and P90 draw for a change.
 */
export class PoolSums {
  readonly pools: number;
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  constructor(rows: number, pools: number) {
    this.pools = pools;
    this.lo = new Float64Array(rows * pools);
    this.hi = new Float64Array(rows * pools);
  }
  add(row: number, pool: number, lo: number, hi: number): void {
    this.lo[row * this.pools + pool] += lo;
    this.hi[row * this.pools + pool] += hi;
  }
  /** A level's band: value − √Σ lo², value + √Σ hi². */
  level(row: number, value: number, accounts: number): Aggregate {
    let l = 0,
      h = 0;
    for (let p = 0, o = row * this.pools; p < this.pools; p++) {
      l += this.lo[o + p] ** 2;
      h += this.hi[o + p] ** 2;
    }
    return { accounts, valueCents: value, p10Cents: value - Math.sqrt(l), p90Cents: value + Math.sqrt(h) };
  }
  /** A change's band around the point change `change` (the lo/hi sums are deviations at the two draws). */
  change(row: number, change: number): ChangeBand {
    let down = 0,
      up = 0;
    for (let p = 0, o = row * this.pools; p < this.pools; p++) {
      const a = this.lo[o + p],
        b = this.hi[o + p];
      down += Math.max(0, -Math.min(a, b)) ** 2;
      up += Math.max(0, Math.max(a, b)) ** 2;
    }
    return { p10Cents: change - Math.sqrt(down), p50Cents: change, p90Cents: change + Math.sqrt(up) };
  }
}
