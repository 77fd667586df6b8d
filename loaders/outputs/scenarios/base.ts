/**
 * The scenario page's inputs, read from a prepared store: one row per account with its
 * attributes as small-integer codes, its model value and band, P(alive), margin to date and
 * the (pool, renewals) group whose value factor it shares; plus the pools' parameters, the
 * dictionaries and the acquisition economics (src/lib/scenarios/engine.ts says how they are used).
 *
 * Pools: an sBG account uses the pool its value came from (account_value.segment, with γ, δ
 * from models.json). Transactional accounts form one "flat" pool whose monthly churn is the
 * BG/NBD population dropout rate: mean purchases per week r ÷ α times mean dropout per purchase
 * a ÷ (a + b), q = 1 − exp(−(r ÷ α)(a ÷ (a + b)) · 52 ÷ 12).
 *
 * An aggregate-only store (loaders/outputs/publish.ts) ships the per-account stream with no
 * rows and marks the base JSON `aggregateOnly`; the saved scenarios are still computed from
 * every account at build time (saved.ts), and only their aggregates ship.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Float64, Int32, Table, Uint32, Uint8, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from "apache-arrow";
import { abcClasses, CLASSES } from "../../../src/lib/analysis/abc.js";
import { monthIndexOf } from "../../../src/lib/dates.js";
import type { AccountArrays, ScenarioBase, ScenarioPool } from "../../../src/lib/scenarios/engine.js";
import type { SegmentDim } from "../../../src/lib/scenarios/ledger.js";
import { purchaseModelSpec } from "../../../src/lib/models/purchase-models.js";
import type { ModelsData } from "../../../src/lib/shapes/models-data.js";

/** The `model` values of accounts a purchase model values (scenario pool "transactional"). */
const PURCHASE_MODEL_NAMES = new Set(["bgnbd", "mbgnbd", "paretonbd", "nbd"]);
import { literal, openDb, type Db } from "../../db.js";
import { readContractAccounts } from "../../models/inputs.js";
import { extractParquet, STORE_FILES } from "../../store.js";
import { withholdsAccountRows } from "../publish.js";
import { pageCoverage } from "../../../src/lib/page-coverage.js";
import type { IngestReport } from "../../ingest/index.js";

export interface ScenarioInputs {
  readonly base: ScenarioBase;
  readonly accounts: AccountArrays;
}

/** Products beyond this many (by accounts holding them) cannot be selected: a mask is 32 bits. */
export const MAX_PRODUCTS = 32;

export async function readScenarioInputs(
  storeDir: string,
  abcThresholds: readonly [number, number],
): Promise<ScenarioInputs> {
  const models = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.models), "utf8")) as ModelsData;
  const db = await openDb();
  try {
    const file = (name: string) => `read_parquet(${literal(path.join(storeDir, name))})`;
    await db.run(`CREATE VIEW dim_accounts AS SELECT * FROM ${file(STORE_FILES.accounts)}`);
    await db.run(`CREATE VIEW account_month AS SELECT * FROM ${file(STORE_FILES.accountMonth)}`);
    await db.run(`CREATE VIEW accepted_contracts AS SELECT * FROM ${file(extractParquet("contracts"))}`);
    const spendProvided = pageCoverage(
      JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport,
    ).spend;
    return await read(db, file, models, abcThresholds, withholdsAccountRows(storeDir), spendProvided);
  } finally {
    db.close();
  }
}

async function read(
  db: Db,
  file: (name: string) => string,
  models: ModelsData,
  abcThresholds: readonly [number, number],
  aggregateOnly: boolean,
  spendProvided: boolean,
): Promise<ScenarioInputs> {
  const asOf = models.asOf;
  const asOfMonth = monthIndexOf(asOf);
  const asOfSql = `DATE ${literal(asOf)}`;
  const rows = (
    await db.connection.runAndReadAll(`
    WITH t12 AS (
      SELECT account_id, sum(revenue_cents) AS revenue, sum(revenue_cents) FILTER (WHERE month > ${asOfSql} - INTERVAL 12 MONTH) AS t12m,
        sum(revenue_cents - cogs_cents - cost_to_serve_cents) AS margin
      FROM account_month WHERE month <= ${asOfSql} GROUP BY ALL
    )
    SELECT a.account_id, coalesce(a.industry, '(not in the data)') AS industry, coalesce(a.size_band, '(not in the data)') AS size_band, coalesce(a.region, '(not in the data)') AS region, a.tier, a.business_model, CAST(coalesce(a.seats, 0) AS INTEGER) AS seats,
      CAST(a.acquired_on > ${asOfSql} - INTERVAL 12 MONTH AS INTEGER) AS recent,
      coalesce(v.model, 'none') AS model, coalesce(v.segment, '') AS pool,
      coalesce(v.clv_cents, 0) AS value, coalesce(v.clv_p10_cents, 0) AS p10, coalesce(v.clv_p90_cents, 0) AS p90,
      coalesce(v.probability_alive, 0) AS palive,
      CAST(coalesce(t.t12m, 0) AS DOUBLE) AS t12m, CAST(coalesce(t.margin, 0) AS DOUBLE) AS margin
    FROM dim_accounts a LEFT JOIN ${file(STORE_FILES.accountValue)} v USING (account_id) LEFT JOIN t12 t USING (account_id)
    ORDER BY a.account_id`)
  ).getColumnsObjectJS() as {
    account_id: string[];
    industry: string[];
    size_band: string[];
    region: string[];
    tier: string[];
    business_model: string[];
    seats: number[];
    recent: number[];
    model: string[];
    pool: string[];
    value: number[];
    p10: number[];
    p90: number[];
    palive: number[];
    t12m: number[];
    margin: number[];
  };
  const n = rows.account_id.length;

  // Products held: on a running contract at the as-of date, or invoiced in the 12 months to it.
  const held = (
    await db.connection.runAndReadAll(`
    SELECT account_id, product_id FROM accepted_contracts WHERE start_date <= ${asOfSql} AND (end_date IS NULL OR end_date >= ${asOfSql})
    UNION
    SELECT i.account_id, l.product_id FROM ${file(extractParquet("invoice_lines"))} l JOIN ${file(extractParquet("invoices"))} i USING (invoice_id)
    WHERE i.document_type = 'invoice' AND i.invoice_date > ${asOfSql} - INTERVAL 12 MONTH AND i.invoice_date <= ${asOfSql}`)
  ).getColumnsObjectJS() as { account_id: string[]; product_id: string[] };
  const catalogue = (
    await db.connection.runAndReadAll(
      `SELECT product_id, product_name FROM ${file(extractParquet("products"))} ORDER BY product_id`,
    )
  ).getColumnsObjectJS() as { product_id: string[]; product_name: string[] };
  const holders = new Map<string, number>();
  for (const p of held.product_id) holders.set(p, (holders.get(p) ?? 0) + 1);
  const products = [...holders.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .slice(0, MAX_PRODUCTS)
    .map(([p]) => p)
    .sort();
  const productIndex = new Map(products.map((p, i) => [p, i]));
  const index = new Map(rows.account_id.map((id, i) => [id, i]));
  const productMask = new Uint32Array(n);
  for (let r = 0; r < held.account_id.length; r++) {
    const i = index.get(held.account_id[r]);
    const b = productIndex.get(held.product_id[r]);
    if (i !== undefined && b !== undefined) productMask[i] = (productMask[i] | (1 << b)) >>> 0;
  }
  const names = new Map(catalogue.product_id.map((p, i) => [p, catalogue.product_name[i]]));

  // Dictionaries (sorted labels; size bands in size order).
  const distinct = (values: string[]) => [...new Set(values)].sort();
  const sizeOrder = ["Small (<50)", "Mid (50–999)", "Enterprise (1000+)"];
  const sizes = distinct(rows.size_band).sort((x, y) => rank(sizeOrder, x) - rank(sizeOrder, y) || x.localeCompare(y));
  const tierOrder = ["Starter", "Pro", "Enterprise", "(none)"];
  const dictionary: Record<SegmentDim, string[]> = {
    size: sizes,
    industry: distinct(rows.industry),
    region: distinct(rows.region),
    tier: distinct(rows.tier).sort((x, y) => rank(tierOrder, x) - rank(tierOrder, y) || x.localeCompare(y)),
    businessModel: distinct(rows.business_model),
    products,
    abc: [...CLASSES],
  };
  const codes = (values: string[], labels: string[]) => {
    const map = new Map(labels.map((l, i) => [l, i]));
    return Uint8Array.from(values, (v) => map.get(v)!);
  };

  // Pools and (pool, renewals) groups.
  const pools: ScenarioPool[] = [];
  const poolIndex = new Map<string, number>();
  for (const f of models.contractFits) {
    const key =
      f.pooledAt === "segment" ? f.key : f.pooledAt === "tier" ? `${f.billingTerm} · ${f.tier}` : f.billingTerm;
    if (poolIndex.has(key)) continue;
    poolIndex.set(key, pools.length);
    pools.push({
      key,
      kind: "sbg",
      gamma: f.gamma,
      delta: f.delta,
      churn: 0,
      periodMonths: f.billingTerm === "annual" ? 12 : 1,
    });
  }
  const purchases = models.purchases;
  if (purchases) {
    // NBD (the fallback when no model with dropout is identified) has no dropout.
    const used = purchases.fits.find((f) => f.used)!;
    const weeklyDropout =
      purchases.purchaseModel === "nbd"
        ? 0
        : purchaseModelSpec(purchases.purchaseModel).dropoutRate(used.params as never);
    poolIndex.set("transactional", pools.length);
    pools.push({
      key: "transactional",
      kind: "flat",
      gamma: 0,
      delta: 0,
      churn: 1 - Math.exp((-weeklyDropout * 52) / 12),
      periodMonths: 1,
    });
  }
  // Accounts no model could value carry a historical value (trailing margin × observed retention): a flat pool per business model.
  for (const model of ["subscription", "transactional"] as const) {
    if (!models.historical) break;
    const R = models.historical.retention[model] ?? 1;
    poolIndex.set(`historical · ${model}`, pools.length);
    pools.push({
      key: `historical · ${model}`,
      kind: "flat",
      gamma: 0,
      delta: 0,
      churn: 1 - Math.pow(R, 1 / 12),
      periodMonths: 1,
    });
  }
  const contracts = new Map((await readContractAccounts(db, asOf)).map((c) => [c.accountId, c]));
  const groups: Array<{ pool: number; renewals: number }> = [];
  const groupIndex = new Map<string, number>();
  const group = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!(rows.value[i] > 0)) continue;
    const p = poolIndex.get(PURCHASE_MODEL_NAMES.has(rows.model[i]) ? "transactional" : rows.pool[i]);
    if (p === undefined)
      throw new Error(
        `scenarios: account ${rows.account_id[i]} has value from pool "${rows.pool[i]}", which models.json does not describe`,
      );
    let renewals = 0;
    if (pools[p].kind === "sbg") {
      const c = contracts.get(rows.account_id[i]);
      if (!c || c.currentStart === null)
        throw new Error(`scenarios: account ${rows.account_id[i]} has contract value but no running contract`);
      renewals = Math.floor((asOfMonth - c.currentStart) / pools[p].periodMonths);
    }
    const key = `${p}#${renewals}`;
    let g = groupIndex.get(key);
    if (g === undefined) {
      groupIndex.set(key, (g = groups.length));
      groups.push({ pool: p, renewals });
    }
    group[i] = g;
  }

  const abc = abcClasses(rows.t12m, abcThresholds);
  const economics = (
    await db.all<{ spend: number; acquired: number }>(`
    SELECT CAST((SELECT coalesce(sum(spend_cents), 0) FROM ${file(STORE_FILES.spendMonth)} WHERE month > ${asOfSql} - INTERVAL 12 MONTH AND month <= ${asOfSql}) AS DOUBLE) AS spend,
      CAST((SELECT count(*) FROM dim_accounts WHERE acquired_on > ${asOfSql} - INTERVAL 12 MONTH AND acquired_on <= ${asOfSql}) AS INTEGER) AS acquired`)
  )[0];
  const margins = dictionary.businessModel.map((m) =>
    m === "subscription" ? models.margins.subscription : m === "transactional" ? models.margins.transactional : 0,
  );

  return {
    base: {
      asOf,
      currency: models.currency,
      horizonMonths: models.horizonMonths,
      annualDiscountRate: models.annualDiscountRate,
      dictionary,
      productNames: products.map((p) => names.get(p) ?? p),
      margins,
      pools,
      groups,
      economics: { spendT12mCents: economics.spend, newAccountsT12m: economics.acquired, spendProvided },
      aggregateOnly,
    },
    accounts: {
      length: n,
      accountId: rows.account_id,
      size: codes(rows.size_band, dictionary.size),
      industry: codes(rows.industry, dictionary.industry),
      region: codes(rows.region, dictionary.region),
      tier: codes(rows.tier, dictionary.tier),
      businessModel: codes(rows.business_model, dictionary.businessModel),
      abc: codes(abc, dictionary.abc),
      products: productMask,
      seats: Int32Array.from(rows.seats),
      group,
      valueCents: Float64Array.from(rows.value),
      p10Cents: Float64Array.from(rows.p10),
      p90Cents: Float64Array.from(rows.p90),
      // P(alive) only for accounts that carry model value: a mass amount never revives a churned account.
      probabilityAlive: Float64Array.from(rows.palive, (p, i) => (group[i] >= 0 ? p : 0)),
      marginToDateCents: Float64Array.from(rows.margin),
      recent: Uint8Array.from(rows.recent),
    },
  };
}

const rank = (order: string[], x: string) => {
  const i = order.indexOf(x);
  return i < 0 ? order.length : i;
};

/** Column name → Arrow type of the per-account stream (explicit, so an empty store still types). */
const COLUMNS = {
  size: new Uint8(),
  industry: new Uint8(),
  region: new Uint8(),
  tier: new Uint8(),
  businessModel: new Uint8(),
  abc: new Uint8(),
  recent: new Uint8(),
  products: new Uint32(),
  seats: new Int32(),
  group: new Int32(),
  valueCents: new Float64(),
  p10Cents: new Float64(),
  p90Cents: new Float64(),
  probabilityAlive: new Float64(),
  marginToDateCents: new Float64(),
} as const;

/** What `scenario-accounts.arrows` ships: every account, or none from an aggregate-only store. */
export function publishedAccountsArrow(inputs: ScenarioInputs): Uint8Array {
  return accountsToArrow(inputs.base.aggregateOnly ? NO_ACCOUNTS : inputs.accounts);
}

const NO_ACCOUNTS: AccountArrays = {
  length: 0,
  accountId: [],
  size: new Uint8Array(0),
  industry: new Uint8Array(0),
  region: new Uint8Array(0),
  tier: new Uint8Array(0),
  businessModel: new Uint8Array(0),
  abc: new Uint8Array(0),
  recent: new Uint8Array(0),
  products: new Uint32Array(0),
  seats: new Int32Array(0),
  group: new Int32Array(0),
  valueCents: new Float64Array(0),
  p10Cents: new Float64Array(0),
  p90Cents: new Float64Array(0),
  probabilityAlive: new Float64Array(0),
  marginToDateCents: new Float64Array(0),
};

/** The per-account columns as an Arrow IPC stream (`.arrows`). */
export function accountsToArrow(a: AccountArrays): Uint8Array {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const vectors: Record<string, any> = { accountId: vectorFromArray(a.accountId as string[], new Utf8()) };
  for (const [name, type] of Object.entries(COLUMNS))
    vectors[name] = vectorFromArray(Array.from(a[name as keyof typeof COLUMNS] as ArrayLike<number>), type);
  return tableToIPC(new Table(vectors), "stream");
}

/** The inverse of accountsToArrow, for tests (the page uses src/components/scenario-data.ts). */
export function accountsFromArrow(bytes: Uint8Array): AccountArrays {
  const table = tableFromIPC(bytes);
  const col = <T>(name: string) => table.getChild(name)!.toArray() as T;
  return {
    length: table.numRows,
    accountId: col<string[]>("accountId"),
    size: col("size"),
    industry: col("industry"),
    region: col("region"),
    tier: col("tier"),
    businessModel: col("businessModel"),
    abc: col("abc"),
    recent: col("recent"),
    products: col("products"),
    seats: col("seats"),
    group: col("group"),
    valueCents: col("valueCents"),
    p10Cents: col("p10Cents"),
    p90Cents: col("p90Cents"),
    probabilityAlive: col("probabilityAlive"),
    marginToDateCents: col("marginToDateCents"),
  };
}
