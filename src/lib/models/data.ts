/**
 * Column-like inputs and the grouping of identical customer histories.
 *
 * Inputs are columns: anything with `length` and numeric indexing (plain arrays, typed arrays,
 * Arrow/DuckDB vectors converted with `toArray()`), so large tables pass straight in.
 */

/** A numeric column: arrays or typed arrays. */
export type Column = ArrayLike<number>;

/**
 * Customer-level RFM summary for the purchase models (BG/NBD, Pareto/NBD), one entry per
 * customer. All three columns use the same time unit (weeks for CDNOW), measured from the
 * customer's first purchase.
 */
export interface RfmColumns {
  /** x: number of repeat purchases (purchase days after the first), a non-negative integer. */
  frequency: Column;
  /** t_x: time of the last repeat purchase since the first purchase (0 when x = 0). */
  recency: Column;
  /** T: time from the first purchase to the end of observation; recency ≤ T. */
  T: Column;
}

/**
 * Distinct (x, t_x, T) histories with their counts. `tId`/`txId` index the distinct values
 * of T and t_x (`tValues`, `txValues`) so a likelihood can compute ln(α + T) once per value.
 */
export interface GroupedRfm {
  readonly size: number;
  readonly x: Int32Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  readonly tId: Int32Array;
  readonly txId: Int32Array;
  readonly tValues: Float64Array;
  readonly txValues: Float64Array;
  /** Largest x. */
  readonly maxX: number;
  /** Sum of the weights (number of customers). */
  readonly total: number;
}

/** Throws a RangeError naming the row (0-based) and column when an RFM entry is invalid. */
export function checkRfmRow(i: number, x: number, tx: number, T: number): void {
  if (!Number.isInteger(x) || x < 0)
    throw new RangeError(`invalid frequency at row ${i}: ${x} (must be a non-negative integer)`);
  if (!(tx >= 0) || !Number.isFinite(tx)) throw new RangeError(`invalid recency at row ${i}: ${tx} (must be ≥ 0)`);
  if (!(T >= 0) || !Number.isFinite(T)) throw new RangeError(`invalid T at row ${i}: ${T} (must be ≥ 0)`);
  if (tx > T) throw new RangeError(`invalid recency at row ${i}: recency ${tx} > T ${T}`);
  if (x > 0 && T === 0)
    throw new RangeError(`invalid T at row ${i}: ${x} repeat purchases in an observation of length T = 0`);
}

/**
 * Data a purchase model (BG/NBD, Pareto/NBD) cannot be fitted on, as errors instead of a
 * "converged" fit with nonsense parameters: no customers, a single customer (four parameters
 * from one history), no repeat purchase at all (the purchase rate and dropout cannot be told
 * apart: the likelihood rises as r → 0), or every observation of length 0.
 */
export function checkFitData(g: GroupedRfm, model: string): void {
  if (g.total === 0) throw new RangeError("invalid data: no customers");
  if (g.total < 2) throw new RangeError(`invalid data: a single customer; ${model} needs a population of customers`);
  let repeat = 0,
    observed = 0;
  for (let i = 0; i < g.size; i++) {
    if (g.x[i] > 0) repeat += g.weight[i];
    if (g.T[i] > 0) observed += g.weight[i];
  }
  if (observed === 0)
    throw new RangeError(`invalid data: every customer has T = 0 (no time observed); ${model} cannot be fitted`);
  if (repeat === 0)
    throw new RangeError(
      `invalid data: no customer made a repeat purchase (all frequencies are 0); ${model} cannot estimate purchase rates or dropout`,
    );
}

/**
 * Groups identical (x, t_x, T) rows and sums their weights (1 per row by default), after
 * checking every row. Customers with x = 0 are grouped on (0, 0, T): their t_x is unused.
 */
export function groupRfm(data: RfmColumns, weights?: Column): GroupedRfm {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.T.length !== n || (weights && weights.length !== n))
    throw new RangeError(
      `invalid columns: lengths differ (frequency ${n}, recency ${data.recency.length}, T ${data.T.length})`,
    );
  const tMap = new Map<number, number>();
  const txMap = new Map<number, number>();
  const tValues: number[] = [];
  const txValues: number[] = [];
  const idOf = (map: Map<number, number>, values: number[], v: number) => {
    let id = map.get(v);
    if (id === undefined) {
      id = values.length;
      map.set(v, id);
      values.push(v);
    }
    return id;
  };
  let maxX = 0;
  const rowT = new Int32Array(n);
  const rowTx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i];
    const tx = data.recency[i];
    const T = data.T[i];
    checkRfmRow(i, x, tx, T);
    if (weights && !(weights[i] >= 0)) throw new RangeError(`invalid weight at row ${i}: ${weights[i]}`);
    if (x > maxX) maxX = x;
    rowT[i] = idOf(tMap, tValues, T);
    rowTx[i] = idOf(txMap, txValues, x === 0 ? 0 : tx);
  }
  const nT = tValues.length;
  const nTx = txValues.length;
  const groups = new Map<number, number>();
  const gx: number[] = [];
  const gt: number[] = [];
  const gtx: number[] = [];
  const gw: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = (data.frequency[i] * nT + rowT[i]) * nTx + rowTx[i];
    const w = weights ? weights[i] : 1;
    const g = groups.get(key);
    if (g === undefined) {
      groups.set(key, gx.length);
      gx.push(data.frequency[i]);
      gt.push(rowT[i]);
      gtx.push(rowTx[i]);
      gw.push(w);
    } else gw[g] += w;
  }
  const size = gx.length;
  const T = new Float64Array(size);
  const tx = new Float64Array(size);
  let total = 0;
  for (let g = 0; g < size; g++) {
    T[g] = tValues[gt[g]];
    tx[g] = txValues[gtx[g]];
    total += gw[g];
  }
  return {
    size,
    x: Int32Array.from(gx),
    tx,
    T,
    weight: Float64Array.from(gw),
    tId: Int32Array.from(gt),
    txId: Int32Array.from(gtx),
    tValues: Float64Array.from(tValues),
    txValues: Float64Array.from(txValues),
    maxX,
    total,
  };
}

/**
 * Accounts indexed by their distinct (x, T) pairs: the expected purchases if alive depend on
 * those only (clv.ts computes them once per pair).
 */
export interface PairTable {
  pairX: Int32Array;
  pairT: Float64Array;
  /** Pair indices grouped by T. */
  tGroups: Int32Array[];
}

/** Accounts indexed by their distinct (x, t_x, T) histories: P(alive) depends on those. */
export interface HistoryTable {
  histX: Int32Array;
  histTx: Float64Array;
  histT: Float64Array;
  /** Distinct T and t_x values of the histories, and each history's index into them. */
  tValues: Float64Array;
  txValues: Float64Array;
  histTId: Int32Array;
  histTxId: Int32Array;
}
