/**
 * What the pages may show (src/lib/page-coverage.ts) and the not-provided wording they use, on
 * hand-made ingest reports; and the scan the browser suites run over page text.
 */
import { describe, expect, it } from "vitest";
import { FULL_COVERAGE, MISSING_GAINS, notProvided, type DataCoverage } from "../../src/lib/coverage.js";
import type { ExtractName, ExtractReport } from "../../src/lib/shapes/ingest-report.js";
import { extractStatuses, marginBasis, pageCoverage } from "../../src/lib/page-coverage.js";
import { leverKinds, segmentCaption } from "../../src/components/segments.js";
import { overviewKpis } from "../../src/components/overview.js";
import type { OverviewData } from "../../src/lib/shapes/overview-data.js";
import { scanText } from "../support/coverage-scan.js";

function extract(name: ExtractName, part: Partial<ExtractReport> = {}): ExtractReport {
  return {
    extract: name,
    file: `${name}.csv`,
    bytes: 1,
    rowsRead: 10,
    accepted: 10,
    quarantined: 0,
    reasons: [],
    money: null,
    dateCoverage: [],
    ignoredHeaders: [],
    provided: true,
    derivedFrom: null,
    filtered: [],
    rounding: null,
    ...part,
  };
}

const TRANSACTIONAL: DataCoverage = {
  ...FULL_COVERAGE,
  shape: "transactional",
  contracts: false,
  spend: false,
  nps: false,
  timeEntries: false,
  margin: null,
  attributes: { ...FULL_COVERAGE.attributes, tier: false, key_account: false },
};

describe("pageCoverage", () => {
  it("keeps the report's coverage when every extract has rows", () => {
    const report = {
      coverage: FULL_COVERAGE,
      extracts: (["marketing_spend", "nps_responses", "time_entries", "role_rates"] as const).map((n) => extract(n)),
    };
    expect(pageCoverage(report)).toEqual(FULL_COVERAGE);
  });

  it("counts a given extract without an accepted row as absent: a header-only spend file gives no CAC", () => {
    const report = {
      coverage: FULL_COVERAGE,
      extracts: [
        extract("marketing_spend", { rowsRead: 0, accepted: 0 }),
        extract("nps_responses", { rowsRead: 5, accepted: 0, quarantined: 5 }),
        extract("time_entries"),
        extract("role_rates", { rowsRead: 0, accepted: 0 }),
      ],
    };
    expect(pageCoverage(report)).toEqual({ ...FULL_COVERAGE, spend: false, nps: false, timeEntries: false });
  });
});

describe("extractStatuses", () => {
  it("says provided, derived from, empty or not provided, with what adding each would show", () => {
    const report = {
      coverage: TRANSACTIONAL,
      extracts: [
        extract("transactions"),
        extract("accounts", { provided: false, derivedFrom: "transactions" }),
        extract("invoices", { provided: false, derivedFrom: "transactions" }),
        extract("invoice_lines", { provided: false, derivedFrom: "transactions" }),
        extract("products", { provided: false, derivedFrom: "transactions" }),
        extract("contracts", { provided: false, rowsRead: 0, accepted: 0 }),
        extract("marketing_spend", { rowsRead: 0, accepted: 0 }),
        extract("nps_responses", { rowsRead: 3, accepted: 0, quarantined: 3 }),
      ],
    };
    const s = Object.fromEntries(extractStatuses(report).map((x) => [x.extract, [x.state, x.label, x.gain]]));
    expect(Object.keys(s)).toEqual([
      "transactions",
      "accounts",
      "products",
      "contracts",
      "invoices",
      "invoice_lines",
      "marketing_spend",
      "nps_responses",
      "time_entries",
      "role_rates",
    ]);
    expect(s.transactions).toEqual(["provided", "provided", null]);
    expect(s.accounts).toEqual(["derived", "derived from transactions", null]);
    expect(s.contracts).toEqual(["not provided", "not provided", `not provided: ${MISSING_GAINS.contracts}`]);
    expect(s.marketing_spend).toEqual([
      "empty",
      "provided, no rows",
      "not provided: add `marketing_spend` to see CAC, LTV : CAC and payback",
    ]);
    expect(s.nps_responses).toEqual(["empty", "provided, no row accepted", notProvided("nps_responses")]);
    // Not in the report at all: not provided.
    expect(s.time_entries).toEqual(["not provided", "not provided", notProvided("time_entries")]);
    expect(s.role_rates).toEqual(["not provided", "not provided", notProvided("time_entries")]);
  });

  it("names the margin's basis, or what would give one", () => {
    expect(marginBasis({ ...FULL_COVERAGE, margin: "line_cost" })).toMatch(/cost .* on each line/);
    expect(marginBasis(FULL_COVERAGE)).toMatch(/unit cost/);
    expect(marginBasis(TRANSACTIONAL)).toBe(notProvided("cost"));
  });
});

describe("segment page wording", () => {
  it("mentions only the sources the data has", () => {
    expect(segmentCaption(FULL_COVERAGE)).toBe(
      "T12M revenue per segment value; the table adds margin after cost to serve, 12-month logo retention with its n and average predicted value. From invoices, contracts, products, time sheets and the CLV models.",
    );
    expect(segmentCaption(TRANSACTIONAL)).toBe(
      "T12M revenue per segment value; the table adds 12-month logo retention with its n and average predicted value. From invoices and the CLV models.",
    );
    expect(scanText(segmentCaption(TRANSACTIONAL), TRANSACTIONAL)).toEqual([]);
  });

  it("relates retention only to levers that are in the data", () => {
    expect(leverKinds(FULL_COVERAGE)).toEqual(["nps", "key_account"]);
    expect(leverKinds({ ...FULL_COVERAGE, nps: false })).toEqual(["key_account"]);
    expect(leverKinds(TRANSACTIONAL)).toEqual([]);
  });
});

describe("overview KPIs by coverage", () => {
  const kpis = {
    asOfMonth: 0,
    activeAccounts: 5,
    mrrCents: 0,
    arrCents: 0,
    t12mRevenueCents: 100_00,
    prior12mRevenueCents: 0,
    revenueGrowth: null,
    grossMargin: 1,
    logoChurn: 0.2,
    accountsActiveYearAgo: 5,
    grossRevenueRetention: 0.8,
    netRevenueRetention: 0.9,
    billedAccounts: 5,
    invoicesT12m: 8,
    averageSaleCents: 12_50,
    salesPerAccountPerYear: 1.6,
    retentionYears: 5,
    simpleLtvCents: 100_00,
    simpleClvCents: 100_00,
    totalCustomerValueCents: 500_00,
    newAccountsT12m: 2,
    spendT12mCents: 0,
    cacCents: 0,
    ltvToCac: null,
    paybackMonths: null,
    concentration: { topAccounts: 1, billedAccounts: 5, topShare: 0.5 },
  };
  const data = (coverage: DataCoverage): OverviewData => ({
    asOf: "2026-09-30",
    asOfSource: "config",
    currency: "USD",
    sources: [],
    coverage,
    kpis,
    purchases: {
      activeBuyers: 4,
      repeatBuyers: 3,
      orders: 8,
      revenueCents: 100_00,
      repeatPurchaseRate: 0.75,
      purchaseFrequency: 2,
      averageOrderCents: 12_50,
    },
    modelValue: null,
    aggregateOnly: false,
    populations: {
      all: 6,
      active: 5,
      billed12m: 5,
      valuedByModel: 0,
      valuedByHistorical: 0,
      valuedActive: 0,
      valuedNotActive: 0,
      activeNotValued: 5,
      billedNotActive: 0,
      activeNotBilled: 0,
    },
    ltvToCacModel: null,
    valueGap: null,
    atRisk: { count: 0, active: 5, valueCents: 0, accounts: [] },
    trend: { month: [], revenueCents: [], arrCents: [], activeAccounts: [], orders: [] },
  });

  it("shows purchase figures instead of ARR without contracts, and leaves out CAC and margin with their reasons", () => {
    const k = overviewKpis(data(TRANSACTIONAL));
    expect(k.map((x) => x.id)).toEqual([
      "model-value",
      "simple-clv",
      "t12m-revenue",
      "gross-margin",
      "active-buyers",
      "repeat-purchase-rate",
      "purchase-frequency",
      "average-order-value",
      "ltv-cac",
      "logo-churn",
      "revenue-retention",
    ]);
    const byId = Object.fromEntries(k.map((x) => [x.id, x]));
    expect([
      byId["active-buyers"].value,
      byId["repeat-purchase-rate"].value,
      byId["purchase-frequency"].value,
      byId["average-order-value"].value,
    ]).toEqual(["4", "75\u202f%", "2.0", "$12.50"]);
    expect(byId["ltv-cac"].missing).toBe(notProvided("marketing_spend"));
    expect(byId["gross-margin"].missing).toBe(notProvided("cost"));
    expect(byId["simple-clv"].missing).toBe(notProvided("cost"));
    // Nothing shown (outside the not-provided cards) names a figure the data cannot give, and no "$0".
    const shown = k
      .filter((x) => !x.missing)
      .map((x) => `${x.label} ${x.value} ${x.note ?? ""} ${x.definition}`)
      .join(" ");
    expect(scanText(shown, TRANSACTIONAL)).toEqual([]);
    expect(shown).not.toMatch(/\$0(?![.\d])/);
  });

  it("says how much of the model value is the historical fallback, and nothing when none is", () => {
    const withValue = (historicalShare: number) => ({
      ...data(FULL_COVERAGE),
      modelValue: {
        valueCents: 1_000_000_00,
        historicalShare,
        band: { p10: 900_000_00, p50: 1_000_000_00, p90: 1_100_000_00 },
        outcomeBand: { p10: 800_000_00, p50: 1_000_000_00, p90: 1_200_000_00 },
        concentration: {
          top10MarginShare: 0.5,
          largestAccountId: "A1",
          largestValueCents: 200_000_00,
          p10WithoutLargest: 650_000_00,
        },
        activeAccountsValued: 10,
        horizonMonths: 60,
        annualDiscountRate: 0.1,
      },
    });
    const note = (share: number) => overviewKpis(withValue(share)).find((k) => k.id === "model-value")!.note!;
    expect(note(0)).not.toContain("historical");
    expect(note(0.23)).toContain("; 23\u202f% of it a historical value (trailing margin × observed retention)");
    expect(note(0.004)).toContain("0.4\u202f% of it a historical value");
    expect(note(1)).toContain("all of it a historical value");
  });

  it("keeps the full set for the sample's coverage", () => {
    // The model value is the headline, the rule of thumb beside it; LTV : CAC in both variants, the model's first.
    expect(overviewKpis(data(FULL_COVERAGE)).map((x) => x.id)).toEqual([
      "model-value",
      "simple-clv",
      "arr",
      "t12m-revenue",
      "gross-margin",
      "active-accounts",
      "ltv-cac-model",
      "ltv-cac",
      "logo-churn",
      "revenue-retention",
    ]);
    expect(overviewKpis(data(FULL_COVERAGE)).every((x) => x.missing === undefined)).toBe(true);
  });
});

describe("scanText", () => {
  it("finds NaN, Infinity, undefined and figures for data not provided, and nothing in a full sample's wording", () => {
    const text =
      "ARR $0 with a NaN axis; CAC $0; payback 0.0 months; NPS 12; cost to serve $3k; value undefined; Infinity";
    expect(scanText(text, TRANSACTIONAL).map((f) => f.term)).toEqual([
      "NaN",
      "Infinity",
      "undefined",
      "ARR",
      "CAC",
      "payback",
      "NPS",
      "cost to serve",
    ]);
    expect(scanText(text, FULL_COVERAGE).map((f) => f.term)).toEqual(["NaN", "Infinity", "undefined"]);
    expect(scanText("MRR now, NPS answers, CAC and payback", FULL_COVERAGE)).toEqual([]);
  });
});
