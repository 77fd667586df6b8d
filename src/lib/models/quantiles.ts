/** Sample quantiles (Hyndman & Fan type 7: linear interpolation between order statistics). */

/** Sample quantile with linear interpolation between order statistics (Hyndman & Fan type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Moves the k-th smallest of a[lo..hi] to a[k] (Hoare's quickselect, median-of-three pivot). */
function select(a: Float64Array, k: number): void {
  let lo = 0,
    hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo,
      j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * Type-7 sample quantile (as {@link quantileSorted}) without a full sort: selects the two
 * order statistics around (n − 1)q. Reorders `a`.
 */
export function quantileSelect(a: Float64Array, q: number): number {
  const n = a.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  select(a, lo);
  const vlo = a[lo];
  if (lo + 1 >= n || h === lo) return vlo;
  // the next order statistic is the smallest element above position lo
  let vhi = Infinity;
  for (let i = lo + 1; i < n; i++) if (a[i] < vhi) vhi = a[i];
  return vlo + (h - lo) * (vhi - vlo);
}
