/**
 * The simple (historical) lifetime value formulas: no discounting, no heterogeneity; the
 * back-of-envelope figures the Overview shows next to the model values.
 */

/**
 * Simple (historical) LTV = average sale value × average transactions per period × retention
 * time in periods, in money units.
 */
export function simpleLtv(averageSaleValue: number, transactionsPerPeriod: number, retentionPeriods: number): number {
  return averageSaleValue * transactionsPerPeriod * retentionPeriods;
}

/**
 * Simple CLV = simple LTV × gross margin. The margin is the measured share of revenue left after
 * costs, so it may be negative (costs above revenue): the CLV is then negative too.
 */
export function simpleClv(ltv: number, grossMargin: number): number {
  return ltv * grossMargin;
}
