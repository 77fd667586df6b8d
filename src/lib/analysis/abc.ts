/**
 * ABC classes and revenue concentration. Accounts are sorted by trailing-12-month revenue,
 * largest first (ties by position, i.e. account order). An account is class A when the revenue
 * of the accounts before it is below `a` × total, class B when below `b` × total, otherwise C:
 * the account that crosses the 80% line is still A. Accounts without positive revenue in the
 * window have no class ("none"). The same rule is written in SQL in ./sql.ts.
 */
export const CLASSES = ["A", "B", "C", "none"] as const;
export type AbcClass = (typeof CLASSES)[number];

/** Cumulative revenue shares closing classes A and B, e.g. [0.8, 0.95]. */
export type AbcThresholds = readonly [number, number];

export function checkThresholds(t: readonly number[]): AbcThresholds {
  if (t.length !== 2 || !(t[0] > 0) || !(t[1] > t[0]) || !(t[1] <= 1))
    throw new RangeError(`invalid ABC thresholds: ${t.join(", ")} (need 0 < A < B ≤ 1)`);
  return [t[0], t[1]];
}

export function abcClasses(revenueCents: ArrayLike<number>, thresholds: AbcThresholds): AbcClass[] {
  const [a, b] = checkThresholds(thresholds);
  const order = Array.from({ length: revenueCents.length }, (_, i) => i)
    .filter((i) => revenueCents[i] > 0)
    .sort((x, y) => revenueCents[y] - revenueCents[x] || x - y);
  let total = 0;
  for (const i of order) total += revenueCents[i];
  const out: AbcClass[] = Array.from({ length: revenueCents.length }, () => "none");
  let before = 0;
  for (const i of order) {
    out[i] = before < a * total ? "A" : before < b * total ? "B" : "C";
    before += revenueCents[i];
  }
  return out;
}

/** from-class × to-class counts, rows and columns in CLASSES order. */
export function transitionMatrix(from: readonly AbcClass[], to: readonly AbcClass[]): number[][] {
  if (from.length !== to.length) throw new RangeError("invalid class lists: different lengths");
  const m = CLASSES.map(() => CLASSES.map(() => 0));
  for (let i = 0; i < from.length; i++) m[CLASSES.indexOf(from[i])][CLASSES.indexOf(to[i])]++;
  return m;
}

export interface ConcentrationPoint {
  /** Share of accounts (largest first), 0–1. */
  readonly accountShare: number;
  /** Share of revenue they bring, 0–1. */
  readonly revenueShare: number;
}

/**
 * The concentration (Lorenz, largest first) curve of positive revenues and the 80% point:
 * the smallest share of accounts, largest first, whose revenue reaches `target` of the total.
 */
export function concentration(
  revenueCents: ArrayLike<number>,
  target = 0.8,
): { points: ConcentrationPoint[]; accountsForTarget: number; shareForTarget: number | null; accounts: number } {
  const values = Array.from(revenueCents)
    .filter((v) => v > 0)
    .sort((x, y) => y - x);
  const n = values.length;
  const total = values.reduce((s, v) => s + v, 0);
  const points: ConcentrationPoint[] = [{ accountShare: 0, revenueShare: 0 }];
  let sum = 0;
  let accountsForTarget = 0;
  for (let k = 0; k < n; k++) {
    sum += values[k];
    points.push({ accountShare: (k + 1) / n, revenueShare: sum / total });
    if (accountsForTarget === 0 && sum >= target * total) accountsForTarget = k + 1;
  }
  return { points, accountsForTarget, shareForTarget: n > 0 ? accountsForTarget / n : null, accounts: n };
}
