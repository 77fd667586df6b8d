/**
 * The analyst pages' SQL, shared by the browser (DuckDB-WASM) and the loaders (native DuckDB,
 * which precompute each page's first chart with the very same statements). Every value from
 * the user or the URL is a bound parameter (`?`), either of the statement itself or of the
 * statement that puts it into the table `selection` (below); only constants from this file
 * (column names from fixed lists, a few numbers) and whole numbers checked as such (a list's
 * length) are ever spliced into the text.
 *
 * Tables (see loaders/outputs/analyst/tables.ts for how they are made):
 * - `accounts`: one row per account; segment columns hold codes into the summary's dictionaries.
 * - `names`: idx, account_id, account_name.
 * - `mrr`: MRR change events (idx, month, mrr, delta, movement, until), months as month indexes;
 *   `until` is the month of the account's next event (or as-of month + 1): the MRR holds before it.
 * - `nps`: idx, month, score.
 * - `accounts_abc`: every column of `accounts` plus c0 … c3 (ABC class code of the
 *   trailing-12-month windows ending at the as-of month, 12, 24 and 36 months before), made by
 *   `classesStatement` for the page's thresholds. One table, so that no query joins for it.
 * - `selection`: one row, what the user has selected (SELECTION_SETUP).
 */
import type { FilterDim, Grain, BreakdownDim } from "./url-state.js";

export type SqlValue = string | number | boolean | null;
export interface Statement {
  readonly sql: string;
  readonly params: SqlValue[];
  /** Values the statement reads from the table `selection` (see below), by column. */
  readonly selection?: Readonly<Partial<Record<SelectionColumn, SqlValue>>>;
}

// ABC class codes index CLASSES (abc.ts): 0 = A, 1 = B, 2 = C, 3 = none (no positive revenue in the window).
export const WINDOWS = 4;
/** The class columns of `accounts_abc`, one per window. */
export const CLASS_COLUMNS = Array.from({ length: WINDOWS }, (_, k) => `c${k}`);

/** Selected codes per dimension (an account matches any of them; none = all), in FILTER_DIMS order. */
export type FilterCodes = Readonly<Record<FilterDim, readonly number[]>>;
export const NO_FILTERS: FilterCodes = { industry: [], size: [], region: [], tier: [], channel: [], class: [] };

/**
 * A dimension's selected codes as the text `selection` holds: character code + 1 is "1" when
 * the code is selected, "" = all. Any number of values, and one column per dimension whatever
 * the number selected (so the statements' text, and their plans, never change).
 */
export function codeMask(codes: readonly number[]): string {
  for (const c of codes) if (!Number.isInteger(c) || c < 0) throw new RangeError(`invalid segment code: ${c}`);
  if (codes.length === 0) return "";
  const flags = Array.from({ length: Math.max(...codes) + 1 }, () => "0");
  for (const c of codes) flags[c] = "1";
  return flags.join("");
}

export const GRAIN_MONTHS: Readonly<Record<Grain, number>> = { month: 1, quarter: 3, year: 12 };

function classWindow(k: number): string {
  const rev = `rev${k}`;
  return `c${k} AS (SELECT idx, CASE WHEN ${rev} <= 0 THEN 3
      WHEN coalesce(sum(${rev}) OVER (ORDER BY ${rev} DESC, idx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < t.a * sum(greatest(${rev}, 0)) OVER () THEN 0
      WHEN coalesce(sum(${rev}) OVER (ORDER BY ${rev} DESC, idx ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < t.b * sum(greatest(${rev}, 0)) OVER () THEN 1
      ELSE 2 END AS c${k} FROM accounts, t)`;
}

/** (Re)creates `accounts_abc` for thresholds a < b (fractions of revenue), over every account. */
export function classesStatement(a: number, b: number): Statement {
  const ks = Array.from({ length: WINDOWS }, (_, k) => k);
  return {
    sql: `CREATE OR REPLACE TABLE accounts_abc AS
      WITH t AS (SELECT CAST(? AS DOUBLE) AS a, CAST(? AS DOUBLE) AS b), ${ks.map(classWindow).join(",\n")}
      SELECT accounts.*, ${ks.map((k) => `CAST(c${k} AS TINYINT) AS c${k}`).join(", ")} FROM accounts JOIN c0 USING (idx) ${ks
        .slice(1)
        .map((k) => `JOIN c${k} USING (idx)`)
        .join(" ")} ORDER BY idx`,
    params: [a, b],
  };
}

const DIM_COLUMN: Readonly<Record<FilterDim, string>> = {
  industry: "industry",
  size: "size",
  region: "region",
  tier: "tier",
  channel: "channel",
  class: "c0",
};

/**
 * The one-row table `selection` holds what the user has selected: a filter mask per dimension
 * (codeMask; "" = all), the cohort grain in months (`g`), the as-of month and a search text. The pages'
 * statements read these values from it instead of taking parameters: DuckDB(-WASM) plans a
 * statement with parameters again at every execution, one without parameters once, when the
 * client prepares it. A runner first sets the values a statement needs (`selectionChange`,
 * itself a small statement with bound parameters), so user input still never becomes SQL text.
 */
export const SELECTION_COLUMNS = {
  industry: "VARCHAR",
  size: "VARCHAR",
  region: "VARCHAR",
  tier: "VARCHAR",
  channel: "VARCHAR",
  class: "VARCHAR",
  g: "INTEGER",
  as_of: "INTEGER",
  search: "VARCHAR",
} as const;
export type SelectionColumn = keyof typeof SELECTION_COLUMNS;
const SELECTION_NAMES = Object.keys(SELECTION_COLUMNS) as SelectionColumn[];

/** What `selection` holds until set: all accounts, yearly cohorts, no search. */
export const SELECTION_DEFAULTS: Readonly<Record<SelectionColumn, SqlValue>> = {
  industry: "",
  size: "",
  region: "",
  tier: "",
  channel: "",
  class: "",
  g: 12,
  as_of: 0,
  search: "",
};

const SELECTION_RANGE: Readonly<Record<"INTEGER" | "VARCHAR", readonly [string, string]>> = {
  INTEGER: ["-2147483648", "2147483647"],
  VARCHAR: ["''", "repeat(chr(65535), 64)"],
};
const literalOf = (v: SqlValue) => (typeof v === "string" ? `'${v.replaceAll("'", "''")}'` : String(v));

/**
 * Creates the table `selection` holding SELECTION_DEFAULTS; run once, before any statement
 * reads it. Its column statistics are first stretched over each type's whole range: DuckDB
 * folds a condition that the statistics decide when it prepares a statement (with −1 as the
 * only value ever stored, a test like `f.industry = ''` became "true"), and the prepared statement keeps
 * that plan after the row changes, so every filter was ignored. An UPDATE only widens the
 * statistics, so after these the plans hold for any value.
 */
export const SELECTION_SETUP: readonly string[] = (() => {
  const set = (value: (c: SelectionColumn) => string) =>
    `UPDATE selection SET ${SELECTION_NAMES.map((c) => `${c} = CAST(${value(c)} AS ${SELECTION_COLUMNS[c]})`).join(", ")}`;
  return [
    `CREATE TABLE selection AS SELECT ${SELECTION_NAMES.map((c) => `CAST(${SELECTION_RANGE[SELECTION_COLUMNS[c]][0]} AS ${SELECTION_COLUMNS[c]}) AS ${c}`).join(", ")}`,
    set((c) => SELECTION_RANGE[SELECTION_COLUMNS[c]][1]),
    set((c) => literalOf(SELECTION_DEFAULTS[c])),
  ];
})();

/** Sets every column of `selection` (always the same text, so a client prepares it once). */
export function selectionUpdate(values: Readonly<Record<SelectionColumn, SqlValue>>): Statement {
  return {
    sql: `UPDATE selection SET ${SELECTION_NAMES.map((c) => `${c} = CAST(? AS ${SELECTION_COLUMNS[c]})`).join(", ")}`,
    params: SELECTION_NAMES.map((c) => values[c]),
  };
}

/**
 * The update `s` needs first, or null: `current` holds the values `selection` was last given
 * (a column not in it is unknown, so an empty map means "set everything"). The update writes
 * every column: the columns `s` reads with its values, the others as they were (or their
 * defaults); `current` is brought up to date.
 */
export function selectionChange(current: Map<SelectionColumn, SqlValue>, s: Statement): Statement | null {
  const wanted = Object.entries(s.selection ?? {}) as [SelectionColumn, SqlValue][];
  if (wanted.every(([c, v]) => current.has(c) && current.get(c) === v)) return null;
  for (const [c, v] of wanted) current.set(c, v);
  for (const c of SELECTION_NAMES) if (!current.has(c)) current.set(c, SELECTION_DEFAULTS[c]);
  return selectionUpdate(Object.fromEntries(current) as Record<SelectionColumn, SqlValue>);
}

/**
 * The filtered accounts CTE (`fa`) over the filters in `selection`; `extra` CTEs may follow.
 * (A cross join with the one-row `selection` and a test per dimension: DuckDB-WASM ran it
 * faster than a scalar subquery or a semi join per dimension.)
 */
export function withFiltered(filters: FilterCodes, extra = "", more: Statement["selection"] = {}): Statement {
  const dims = Object.keys(DIM_COLUMN) as FilterDim[];
  return {
    sql: `WITH fa AS (SELECT a.* FROM accounts_abc a, selection f
        WHERE ${dims.map((d) => `(f.${d} = '' OR (a.${DIM_COLUMN[d]} >= 0 AND substr(f.${d}, a.${DIM_COLUMN[d]} + 1, 1) = '1'))`).join(" AND ")})${extra}`,
    params: [],
    selection: { ...Object.fromEntries(dims.map((d) => [d, codeMask(filters[d])])), ...more },
  };
}

/**
 * Cohort × period cells at a grain of `g` months. Cohort = acquisition period (month, quarter or
 * year); period p is measured on the last month of the p-th period after the cohort's own
 * (p = 0: the acquisition period itself); only complete periods (≤ as-of month). Subscription
 * accounts only. Per cell: cohort size, accounts with MRR > 0 (logo), their MRR (NRR numerator),
 * Σ min(MRR at p, MRR at p = 0) per account (GRR numerator), and the MRR at p = 0 (base).
 * `iv` and `pr` are each read twice: MATERIALIZED computes them once (half the time in DuckDB-WASM).
 */
export function cohortTriangle(filters: FilterCodes, grain: Grain, asOfMonth: number): Statement {
  const w = withFiltered(
    filters,
    `,
      prm AS (SELECT g, as_of FROM selection),
      acc AS (SELECT idx, cohort - cohort % prm.g AS cs FROM fa, prm WHERE subscription = 1),
      sizes AS (SELECT cs, count(*) AS n FROM acc GROUP BY cs),
      iv AS MATERIALIZED (SELECT e.idx, acc.cs, e.month AS s, least(e.until, prm.as_of + 1) AS e, e.mrr FROM mrr e JOIN acc USING (idx), prm WHERE e.month <= prm.as_of),
      base AS (SELECT idx, mrr AS b FROM iv, prm WHERE s <= cs + prm.g - 1 AND e > cs + prm.g - 1),
      pr AS MATERIALIZED (SELECT cs, CAST(greatest(0, ceil((s - cs - prm.g + 1) / prm.g)) AS INTEGER) AS plo,
          CAST(ceil((e - cs - prm.g + 1) / prm.g) AS INTEGER) AS phi, mrr, least(mrr, coalesce(b, 0)) AS gm
        FROM iv LEFT JOIN base USING (idx), prm WHERE mrr > 0),
      d AS (SELECT cs, p, sum(dn) AS dn, sum(dm) AS dm, sum(dg) AS dg FROM (
          SELECT cs, plo AS p, 1 AS dn, mrr AS dm, gm AS dg FROM pr WHERE phi > plo
          UNION ALL SELECT cs, phi AS p, -1, -mrr, -gm FROM pr WHERE phi > plo) GROUP BY ALL),
      grid AS (SELECT sizes.cs, sizes.n, r.p FROM sizes, prm, LATERAL (SELECT range AS p FROM range(0, (prm.as_of - sizes.cs - prm.g + 1) // prm.g + 1)) r
        WHERE prm.as_of >= sizes.cs + prm.g - 1),
      cells AS (SELECT grid.cs, grid.p, grid.n,
          sum(coalesce(d.dn, 0)) OVER w AS active, sum(coalesce(d.dm, 0)) OVER w AS mrr, sum(coalesce(d.dg, 0)) OVER w AS grr
        FROM grid LEFT JOIN d USING (cs, p) WINDOW w AS (PARTITION BY grid.cs ORDER BY grid.p))`,
    { g: GRAIN_MONTHS[grain], as_of: asOfMonth },
  );
  return {
    // The base (MRR at p = 0) is the first cell of each cohort: a window, not a second pass over `cells`.
    sql: `${w.sql}
      SELECT CAST(c.cs AS INTEGER) AS cohort, CAST(c.p AS INTEGER) AS period, CAST(c.n AS INTEGER) AS size, CAST(c.active AS INTEGER) AS active,
        CAST(c.mrr AS DOUBLE) AS mrr_cents, CAST(c.grr AS DOUBLE) AS grr_cents, CAST(first_value(c.mrr) OVER (PARTITION BY c.cs ORDER BY c.p) AS DOUBLE) AS base_cents
      FROM cells c ORDER BY cohort, period`,
    params: [],
    selection: w.selection,
  };
}

/** Subscription accounts per acquisition year and months from acquisition to first churn (null age = never churned). */
export function churnAges(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT CAST(cohort // 12 AS INTEGER) AS year, CAST(first_churn - cohort AS INTEGER) AS age, CAST(count(*) AS INTEGER) AS n
      FROM fa WHERE subscription = 1 GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/** MRR movements per month and kind (sum of changes, number of accounts). */
export function movements(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT CAST(e.month AS INTEGER) AS month, CAST(e.movement AS INTEGER) AS movement, CAST(sum(e.delta) AS DOUBLE) AS delta_cents, CAST(count(*) AS INTEGER) AS accounts
      FROM mrr e JOIN fa USING (idx) GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/** The accounts behind one bar of the movements chart. */
export function movementAccounts(filters: FilterCodes, month: number, movement: number): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT n.account_id, n.account_name, CAST(e.delta AS DOUBLE) AS delta_cents, CAST(e.mrr AS DOUBLE) AS mrr_cents
      FROM mrr e JOIN fa USING (idx) JOIN names n USING (idx) WHERE e.month = CAST(? AS INTEGER) AND e.movement = CAST(? AS INTEGER)
      ORDER BY abs(e.delta) DESC, n.account_id LIMIT 1000`,
    params: [month, movement],
    selection: w.selection,
  };
}

/** The share of revenue whose point the concentration curve marks (a constant of this file: it is spliced into the SQL). */
export const CONCENTRATION_TARGET = 0.8;

/** Concentration curve, sampled to about 400 points plus the first 20 and the CONCENTRATION_TARGET crossing. */
export function concentrationCurve(filters: FilterCodes): Statement {
  const w = withFiltered(
    filters,
    `, r AS (SELECT rev0, row_number() OVER (ORDER BY rev0 DESC, idx) AS rn, count(*) OVER () AS n,
        sum(rev0) OVER (ORDER BY rev0 DESC, idx ROWS UNBOUNDED PRECEDING) AS cum, sum(rev0) OVER () AS tot FROM fa WHERE rev0 > 0)`,
  );
  const crossing = `(cum >= ${CONCENTRATION_TARGET} * tot AND cum - rev0 < ${CONCENTRATION_TARGET} * tot)`;
  return {
    sql: `${w.sql} SELECT CAST(rn AS INTEGER) AS rank, CAST(n AS INTEGER) AS accounts, CAST(cum AS DOUBLE) AS cum_cents, CAST(tot AS DOUBLE) AS total_cents,
        ${crossing} AS is_target
      FROM r WHERE rn % greatest(1, n // 400) = 0 OR rn = n OR rn <= 20 OR ${crossing} ORDER BY rn`,
    params: [],
    selection: w.selection,
  };
}

/** Accounts, T12M revenue and predicted value per ABC class (window 0). */
export function classSummary(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT CAST(c0 AS INTEGER) AS class, CAST(count(*) AS INTEGER) AS accounts, CAST(sum(rev0) AS DOUBLE) AS revenue_cents,
        CAST(sum(clv) AS DOUBLE) AS predicted_cents, CAST(count(clv) AS INTEGER) AS predicted_accounts FROM fa GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/** Class in window `from` (older) × class in window `to` = from − 1, counts. `from` ∈ 1…3. */
export function classMigration(filters: FilterCodes, from: 1 | 2 | 3): Statement {
  const w = withFiltered(filters);
  const a = `c${from}`;
  const b = `c${from - 1}`;
  return {
    sql: `${w.sql} SELECT CAST(${a} AS INTEGER) AS from_class, CAST(${b} AS INTEGER) AS to_class, CAST(count(*) AS INTEGER) AS accounts FROM fa GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

export const SORT_COLUMNS = {
  revenue: "rev0",
  value: "coalesce(clv, -1e300)",
  margin: "margin0",
  mrr: "mrr_now",
} as const;
export type SortKey = keyof typeof SORT_COLUMNS;

/**
 * Accounts matching the filters and a search text (name or id contains it), best first; at
 * most `limit` (a whole number from the calling code, written into the text: DuckDB keeps
 * only the best rows while it sorts for a constant limit, not for one read from a table).
 * The names are joined to the listed rows only, unless the search needs them. `idx` follows
 * the account ids' order, so it breaks ties as the ids would.
 */
export function accountList(filters: FilterCodes, search: string, sort: SortKey, limit: number): Statement {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`invalid list length: ${limit}`);
  const hits =
    search === ""
      ? "SELECT * FROM fa"
      : "SELECT fa.* FROM fa JOIN names n USING (idx), selection s WHERE contains(lower(n.account_name), lower(s.search)) OR contains(lower(n.account_id), lower(s.search))";
  const order = SORT_COLUMNS[sort];
  const w = withFiltered(
    filters,
    `, hits AS (${hits}), top AS (SELECT * FROM hits ORDER BY ${order} DESC, idx LIMIT ${limit})`,
    search === "" ? {} : { search },
  );
  return {
    sql: `${w.sql} SELECT n.account_id, n.account_name, top.industry, top.size, top.region, top.tier, top.channel, CAST(top.c0 AS INTEGER) AS class,
        CAST(top.rev0 AS DOUBLE) AS revenue_cents, CAST(top.margin0 AS DOUBLE) AS margin_cents, CAST(top.mrr_now AS DOUBLE) AS mrr_cents,
        CAST(top.clv AS DOUBLE) AS clv_cents, CAST(top.p_alive AS DOUBLE) AS p_alive, CAST((SELECT count(*) FROM hits) AS INTEGER) AS matches
      FROM top JOIN names n USING (idx) ORDER BY ${order} DESC, idx`,
    params: [],
    selection: w.selection,
  };
}

export const SEGMENT_COLUMN: Readonly<Record<BreakdownDim, string>> = {
  industry: "industry",
  size: "size",
  region: "region",
  tier: "tier",
  channel: "channel",
  key_account: "key_account",
};

/** Per segment value: accounts, active, T12M revenue and margin, 12-month logo retention, predicted value. */
export function segmentTable(filters: FilterCodes, by: BreakdownDim): Statement {
  const w = withFiltered(filters);
  const col = SEGMENT_COLUMN[by];
  return {
    sql: `${w.sql} SELECT CAST(${col} AS INTEGER) AS segment, CAST(count(*) AS INTEGER) AS accounts, CAST(sum(active_now) AS INTEGER) AS active,
        CAST(sum(rev0) AS DOUBLE) AS revenue_cents, CAST(sum(margin0) AS DOUBLE) AS margin_cents,
        CAST(sum(active_ya) AS INTEGER) AS base, CAST(sum(active_ya * active_now) AS INTEGER) AS retained,
        CAST(sum(clv) AS DOUBLE) AS predicted_cents, CAST(count(clv) AS INTEGER) AS predicted_accounts
      FROM fa GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/**
 * Purchase histories per segment value, over the transactional accounts (subscription = 0) and
 * the trailing-12-month window: active buyers (an order in it), repeat buyers (two or more),
 * orders and net revenue. The page divides: repeat-purchase rate, orders per buyer, average
 * order value (src/lib/metrics/purchases.ts has the same definitions over all accounts).
 */
export function purchaseBySegment(filters: FilterCodes, by: BreakdownDim): Statement {
  const w = withFiltered(filters);
  const col = SEGMENT_COLUMN[by];
  return {
    sql: `${w.sql} SELECT CAST(${col} AS INTEGER) AS segment, CAST(count(*) FILTER (WHERE orders0 >= 1) AS INTEGER) AS buyers,
        CAST(count(*) FILTER (WHERE orders0 >= 2) AS INTEGER) AS repeat_buyers, CAST(coalesce(sum(orders0), 0) AS INTEGER) AS orders,
        CAST(coalesce(sum(rev0), 0) AS DOUBLE) AS revenue_cents
      FROM fa WHERE subscription = 0 GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/** NPS answers per segment value: answers, promoters (9–10), detractors (0–6), accounts answering. */
export function npsBySegment(filters: FilterCodes, by: BreakdownDim): Statement {
  const w = withFiltered(filters);
  const col = SEGMENT_COLUMN[by];
  return {
    sql: `${w.sql} SELECT CAST(fa.${col} AS INTEGER) AS segment, CAST(count(*) AS INTEGER) AS answers,
        CAST(count(*) FILTER (WHERE s.score >= 9) AS INTEGER) AS promoters, CAST(count(*) FILTER (WHERE s.score <= 6) AS INTEGER) AS detractors,
        CAST(count(DISTINCT s.idx) AS INTEGER) AS accounts
      FROM nps s JOIN fa USING (idx) GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/**
 * 12-month logo retention by lever: the account's latest NPS answer (promoter / passive /
 * detractor / none) and key-account coverage. base = accounts active 12 months ago.
 */
export function leversVsRetention(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT 'nps' AS lever, CASE WHEN nps_last IS NULL THEN 'no answer' WHEN nps_last >= 9 THEN 'promoter' WHEN nps_last >= 7 THEN 'passive' ELSE 'detractor' END AS grp,
        CAST(sum(active_ya) AS INTEGER) AS base, CAST(sum(active_ya * active_now) AS INTEGER) AS retained FROM fa GROUP BY ALL
      UNION ALL SELECT 'key_account', CASE WHEN key_account = 1 THEN 'key account manager' ELSE 'no key account manager' END,
        CAST(sum(active_ya) AS INTEGER), CAST(sum(active_ya * active_now) AS INTEGER) FROM fa GROUP BY ALL ORDER BY 1, 2`,
    params: [],
    selection: w.selection,
  };
}

/** New accounts per acquisition channel and year with their margin to date, predicted value and first-year margin. */
export function channelYears(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT CAST(channel AS INTEGER) AS channel, CAST(cohort // 12 AS INTEGER) AS year, CAST(count(*) AS INTEGER) AS new_accounts,
        CAST(sum(margin_total) AS DOUBLE) AS margin_cents, CAST(sum(clv) AS DOUBLE) AS predicted_cents, CAST(count(clv) AS INTEGER) AS predicted_accounts,
        CAST(sum(margin_first12) AS DOUBLE) AS first12_cents
      FROM fa GROUP BY ALL ORDER BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/** Accounts filtered, for the scatter: count first; when large, a binned version. */
export function marginCount(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT CAST(count(*) AS INTEGER) AS n FROM fa WHERE rev0 <> 0 OR cts0 > 0`,
    params: [],
    selection: w.selection,
  };
}

export function marginPoints(filters: FilterCodes): Statement {
  const w = withFiltered(filters);
  return {
    sql: `${w.sql} SELECT n.account_id, n.account_name, CAST(rev0 AS DOUBLE) AS revenue_cents, CAST(margin0 AS DOUBLE) AS margin_cents, CAST(cts0 AS DOUBLE) AS cts_cents,
        CAST(hours0 AS DOUBLE) AS hours, CAST(c0 AS INTEGER) AS class FROM fa JOIN names n USING (idx) WHERE rev0 <> 0 OR cts0 > 0`,
    params: [],
    selection: w.selection,
  };
}

/** Cells per side of the margin scatter's grid for large data (a constant of this file: it is spliced into the SQL). */
export const MARGIN_BINS = 40;

/** Revenue × margin grid of MARGIN_BINS × MARGIN_BINS cells with account counts (for large data). */
export function marginBins(filters: FilterCodes): Statement {
  const w = withFiltered(
    filters,
    `, pts AS (SELECT rev0, margin0 FROM fa WHERE rev0 <> 0 OR cts0 > 0),
      ext AS (SELECT min(rev0) AS x0, max(rev0) AS x1, min(margin0) AS y0, max(margin0) AS y1 FROM pts),
      prm AS (SELECT ${MARGIN_BINS} AS k)`,
  );
  return {
    sql: `${w.sql} SELECT CAST(least(prm.k - 1, floor((rev0 - x0) / greatest(x1 - x0, 1) * prm.k)) AS INTEGER) AS bx,
        CAST(least(prm.k - 1, floor((margin0 - y0) / greatest(y1 - y0, 1) * prm.k)) AS INTEGER) AS by_, CAST(count(*) AS INTEGER) AS accounts,
        any_value(x0) AS x0, any_value(x1) AS x1, any_value(y0) AS y0, any_value(y1) AS y1
      FROM pts, ext, prm GROUP BY ALL`,
    params: [],
    selection: w.selection,
  };
}

/** Everything the explorer's detail view shows about one account. */
export function accountDetail(accountId: string): Statement {
  return {
    sql: `SELECT n.account_id, n.account_name, a.* FROM names n JOIN accounts_abc a USING (idx) WHERE n.account_id = CAST(? AS VARCHAR)`,
    params: [accountId],
  };
}

export function accountEvents(idx: number): Statement {
  return {
    sql: `SELECT CAST(month AS INTEGER) AS month, CAST(mrr AS DOUBLE) AS mrr_cents, CAST(delta AS DOUBLE) AS delta_cents, CAST(movement AS INTEGER) AS movement FROM mrr WHERE idx = CAST(? AS INTEGER) ORDER BY month`,
    params: [idx],
  };
}

export function accountNps(idx: number): Statement {
  return {
    sql: `SELECT CAST(month AS INTEGER) AS month, CAST(score AS INTEGER) AS score FROM nps WHERE idx = CAST(? AS INTEGER) ORDER BY month`,
    params: [idx],
  };
}
