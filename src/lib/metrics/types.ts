/**
 * The inputs every metric takes: accounts, account × month facts and spend, as columns.
 * Money is integer cents; months are month indexes (see ../dates.ts). Columns are
 * `ArrayLike` so Arrow / DuckDB columns and typed arrays pass straight in.
 */
import type { MonthIndex } from "../dates.js";

export type BusinessModel = "subscription" | "transactional";

export interface AccountColumns {
  readonly length: number;
  readonly accountId: ArrayLike<string>;
  readonly businessModel: ArrayLike<BusinessModel>;
  /** Month index of acquisition. */
  readonly acquiredMonth: ArrayLike<MonthIndex>;
  readonly channel: ArrayLike<string>;
}

/** Rows sorted by account, then month; `account` indexes into `AccountColumns`. */
export interface AccountMonthColumns {
  readonly length: number;
  readonly account: ArrayLike<number>;
  readonly month: ArrayLike<MonthIndex>;
  /** Net billed revenue (credit notes negative), cents. */
  readonly revenueCents: ArrayLike<number>;
  /** Cost of the goods and subscriptions billed (quantity × unit cost), cents. */
  readonly cogsCents: ArrayLike<number>;
  /** Monthly recurring revenue of the contracts running on the last day of the month, cents. */
  readonly mrrCents: ArrayLike<number>;
  /** Hours booked × the role's hourly cost, cents. */
  readonly costToServeCents: ArrayLike<number>;
  /** Invoices issued (credit notes excluded). */
  readonly invoices: ArrayLike<number>;
}

export interface SpendColumns {
  readonly length: number;
  readonly month: ArrayLike<MonthIndex>;
  readonly channel: ArrayLike<string>;
  readonly spendCents: ArrayLike<number>;
}
