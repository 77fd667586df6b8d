/** Cohort arithmetic on the rows the SQL in ./sql.ts returns. */
export interface TriangleRow {
  readonly cohort: number;
  readonly period: number;
  readonly size: number;
  readonly active: number;
  readonly mrr_cents: number;
  readonly grr_cents: number;
  readonly base_cents: number;
}

export interface TriangleCell {
  readonly cohort: number;
  readonly period: number;
  readonly size: number;
  /** Accounts with MRR > 0 at the period's end ÷ cohort size. */
  readonly logo: number | null;
  /** Σ min(MRR at p, MRR at 0) ÷ Σ MRR at 0. */
  readonly grr: number | null;
  /** Σ MRR at p ÷ Σ MRR at 0. */
  readonly nrr: number | null;
}

export function triangleCells(rows: readonly TriangleRow[]): TriangleCell[] {
  return rows.map((r) => ({
    cohort: r.cohort,
    period: r.period,
    size: r.size,
    logo: r.size > 0 ? r.active / r.size : null,
    grr: r.base_cents > 0 ? r.grr_cents / r.base_cents : null,
    nrr: r.base_cents > 0 ? r.mrr_cents / r.base_cents : null,
  }));
}

/** The cohort number of the all-cohorts row (no real cohort is negative). */
export const ALL_COHORTS = -1;

/**
 * All cohorts pooled, per period: Σ over the cohorts observed that many periods of the
 * counts and MRR, then the same ratios as one cohort (so a large cohort weighs more than a
 * small one: logo = Σ active ÷ Σ size). Its size is the accounts of the cohorts in period 0.
 * Period p pools only the cohorts old enough to have it, as each cell of the triangle does.
 */
export function pooledRows(rows: readonly TriangleRow[]): TriangleRow[] {
  const byPeriod = new Map<number, { size: number; active: number; mrr: number; grr: number; base: number }>();
  for (const r of rows) {
    const p = byPeriod.get(r.period) ?? { size: 0, active: 0, mrr: 0, grr: 0, base: 0 };
    p.size += r.size;
    p.active += r.active;
    p.mrr += r.mrr_cents;
    p.grr += r.grr_cents;
    p.base += r.base_cents;
    byPeriod.set(r.period, p);
  }
  return [...byPeriod]
    .sort((a, b) => a[0] - b[0])
    .map(([period, p]) => ({
      cohort: ALL_COHORTS,
      period,
      size: p.size,
      active: p.active,
      mrr_cents: p.mrr,
      grr_cents: p.grr,
      base_cents: p.base,
    }));
}

/**
 * Survivors per cohort from churn ages: alive[t] = accounts whose first churn comes more than
 * t months after acquisition (never-churned accounts have age null), t = 0 … horizon.
 * alive[0] is the cohort size.
 */
export function survivalFromAges(
  rows: readonly { year: number; age: number | null; n: number }[],
  horizonOf: (year: number) => number,
): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const byYear = new Map<number, { age: number | null; n: number }[]>();
  for (const r of rows) {
    const list = byYear.get(r.year) ?? [];
    list.push(r);
    byYear.set(r.year, list);
  }
  for (const [year, list] of [...byYear].sort((x, y) => x[0] - y[0])) {
    const horizon = horizonOf(year);
    if (horizon < 0) continue;
    const size = list.reduce((s, r) => s + r.n, 0);
    const alive: number[] = [];
    for (let t = 0; t <= horizon; t++) {
      if (t === 0) {
        alive.push(size);
        continue;
      }
      let churned = 0;
      for (const r of list) if (r.age !== null && r.age <= t) churned += r.n;
      alive.push(size - churned);
    }
    out.set(year, alive);
  }
  return out;
}
