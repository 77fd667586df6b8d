/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import { abcClasses, concentration, transitionMatrix } from "../../src/lib/analysis/abc.js";
import { ALL_COHORTS, pooledRows, survivalFromAges, triangleCells } from "../../src/lib/analysis/cohorts.js";
import { escapeCsvCell, toCsv } from "../../src/lib/analysis/csv.js";
import { channelEconomics, nps, wilson } from "../../src/lib/analysis/economics.js";
import { mrrMovements } from "../../src/lib/analysis/mrr.js";
import {
  decodeState,
  defaultState,
  ECHO_MAX,
  encodeState,
  filterEntries,
  filterOf,
  type StateDomain,
} from "../../src/lib/analysis/url-state.js";

describe("MRR movements", () => {
  it("classifies new, expansion, churn after a gap, reactivation and churn to zero", () => {
    // 100: 0 → 1000 new; 101: → 1500 expansion; 102 unchanged; 103 missing = 0: churn −1500;
    // 105: 0 → 800 reactivation; 106: → 0 churn −800; nothing after (MRR already 0).
    const events = mrrMovements([100, 101, 102, 105, 106], [1000, 1500, 1500, 800, 0], 110);
    expect(events).toEqual([
      { month: 100, mrrCents: 1000, deltaCents: 1000, movement: "new" },
      { month: 101, mrrCents: 1500, deltaCents: 500, movement: "expansion" },
      { month: 103, mrrCents: 0, deltaCents: -1500, movement: "churn" },
      { month: 105, mrrCents: 800, deltaCents: 800, movement: "reactivation" },
      { month: 106, mrrCents: 0, deltaCents: -800, movement: "churn" },
    ]);
  });
  it("records a contraction, and a churn in the month after the last one with MRR when that month is not after the as-of month", () => {
    expect(mrrMovements([100, 101], [500, 300], 105).map((e) => [e.month, e.movement, e.deltaCents])).toEqual([
      [100, "new", 500],
      [101, "contraction", -200],
      [102, "churn", -300],
    ]);
    // Still running at the as-of month: no churn.
    expect(mrrMovements([104, 105], [500, 500], 105).map((e) => e.movement)).toEqual(["new"]);
  });
  it("ignores months after the as-of month and rejects unsorted series", () => {
    expect(mrrMovements([100, 120], [500, 900], 110).map((e) => e.month)).toEqual([100, 101]);
    expect(() => mrrMovements([101, 100], [1, 1], 110)).toThrow(/invalid MRR series/);
  });
});

describe("ABC classes", () => {
  // Revenues 50, 30, 10, 5, 5 (total 100), 0 and −3. Revenue before each, largest first:
  // 0 → A, 50 → A (50 < 80), 80 → B (not < 80, < 95), 90 → B, 95 → C; 0 and −3 → none.
  // The two 5s are ordered by position, so index 3 is B and index 4 is C.
  const revenue = [50, 30, 10, 5, 5, 0, -3];
  it("puts the account that crosses the A line in A and splits ties by position", () => {
    expect(abcClasses(revenue, [0.8, 0.95])).toEqual(["A", "A", "B", "B", "C", "none", "none"]);
  });
  it("moves the boundaries with the thresholds", () => {
    // 50/15/35 (thresholds 0.5, 0.65): before 0 → A; 50 → B (not < 50, < 65); 80 → C …
    expect(abcClasses(revenue, [0.5, 0.65])).toEqual(["A", "B", "C", "C", "C", "none", "none"]);
  });
  it("rejects thresholds that are not increasing fractions", () => {
    expect(() => abcClasses(revenue, [0.9, 0.8])).toThrow(/invalid ABC thresholds/);
    expect(() => abcClasses(revenue, [0, 0.8])).toThrow(/invalid ABC thresholds/);
  });
  it("counts class migrations in a from × to matrix", () => {
    const m = transitionMatrix(["A", "A", "B", "none", "C"], ["A", "B", "B", "C", "none"]);
    // rows A, B, C, none; columns A, B, C, none
    expect(m).toEqual([
      [1, 1, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 1, 0],
    ]);
  });
});

describe("revenue concentration", () => {
  it("finds the smallest share of accounts that makes 80% of revenue", () => {
    // 50 + 30 = 80 of 100 after 2 of 5 positive accounts: 40%.
    const c = concentration([5, 50, 0, 10, 30, 5]);
    expect(c.accounts).toBe(5);
    expect(c.accountsForTarget).toBe(2);
    expect(c.shareForTarget).toBe(0.4);
    expect(c.points.map((p) => p.revenueShare)).toEqual([0, 0.5, 0.8, 0.9, 0.95, 1]);
  });
});

describe("cohort arithmetic", () => {
  it("turns counts and MRR into logo, gross and net retention", () => {
    const [cell] = triangleCells([
      { cohort: 1, period: 2, size: 4, active: 3, mrr_cents: 330, grr_cents: 270, base_cents: 300 },
    ]);
    expect(cell).toMatchObject({ logo: 0.75, grr: 0.9, nrr: 1.1 });
  });
  it("pools all cohorts per period, weighting each by its accounts and MRR", () => {
    // Cohort 0: 10 accounts, 8 then 6 active; MRR 1000 → 900 (GRR 800). Cohort 12: 30 accounts, 15 active at 1.
    const rows = [
      { cohort: 0, period: 0, size: 10, active: 8, mrr_cents: 1000, grr_cents: 1000, base_cents: 1000 },
      { cohort: 0, period: 1, size: 10, active: 6, mrr_cents: 900, grr_cents: 800, base_cents: 1000 },
      { cohort: 12, period: 0, size: 30, active: 30, mrr_cents: 3000, grr_cents: 3000, base_cents: 3000 },
      { cohort: 12, period: 1, size: 30, active: 15, mrr_cents: 3300, grr_cents: 2400, base_cents: 3000 },
      { cohort: 24, period: 0, size: 5, active: 5, mrr_cents: 500, grr_cents: 500, base_cents: 500 },
    ];
    const [p0, p1] = triangleCells(pooledRows(rows));
    // Period 0: (8 + 30 + 5) / 45; period 1 pools the two cohorts that have it: 21 / 40, not (0.6 + 0.5) / 2.
    expect(p0).toMatchObject({ cohort: ALL_COHORTS, period: 0, size: 45, logo: 43 / 45, nrr: 1 });
    expect(p1).toMatchObject({ period: 1, size: 40, logo: 21 / 40, grr: 3200 / 4000, nrr: 4200 / 4000 });
  });
  it("counts survivors from churn ages, censored at each cohort's horizon", () => {
    // 2020: 3 never churned, 1 churned at age 2, 1 at age 5 → alive 5, 5, 4, 4 (horizon 3).
    const alive = survivalFromAges(
      [
        { year: 2020, age: null, n: 3 },
        { year: 2020, age: 2, n: 1 },
        { year: 2020, age: 5, n: 1 },
        { year: 2021, age: 1, n: 2 },
      ],
      (year) => (year === 2020 ? 3 : 1),
    );
    expect(alive.get(2020)).toEqual([5, 5, 4, 4]);
    expect(alive.get(2021)).toEqual([2, 0]);
  });
});

describe("unit economics by channel", () => {
  it("computes CAC, LTV : CAC and payback months per channel and year", () => {
    // Inbound 2024: spend 1,000,000 ÷ 4 new = CAC 250,000; LTV = (2,000,000 + 6,000,000) ÷ 4 = 2,000,000;
    // ratio 8; monthly margin per account = 1,200,000 ÷ 4 ÷ 12 = 25,000; payback = 250,000 ÷ 25,000 = 10.
    const out = channelEconomics(
      [
        {
          channel: "Inbound",
          period: "2024",
          newAccounts: 4,
          marginToDateCents: 2_000_000,
          predictedCents: 6_000_000,
          marginFirst12Cents: 1_200_000,
        },
      ],
      [
        { channel: "Inbound", period: "2024", spendCents: 600_000 },
        { channel: "Inbound", period: "2024", spendCents: 400_000 },
        { channel: "Partner", period: "2024", spendCents: 500 },
      ],
    );
    expect(out[0]).toEqual({
      channel: "Inbound",
      period: "2024",
      newAccounts: 4,
      spendCents: 1_000_000,
      cacCents: 250_000,
      ltvCents: 2_000_000,
      ltvToCac: 8,
      paybackMonths: 10,
    });
    // Spend without new accounts: CAC undefined, never a division by zero.
    expect(out[1]).toMatchObject({
      channel: "Partner",
      newAccounts: 0,
      spendCents: 500,
      cacCents: null,
      ltvToCac: null,
      paybackMonths: null,
    });
  });
  it("uses the margin to date alone when no model value exists", () => {
    const [r] = channelEconomics(
      [
        {
          channel: "X",
          period: "2023",
          newAccounts: 2,
          marginToDateCents: 900,
          predictedCents: null,
          marginFirst12Cents: 240,
        },
      ],
      [{ channel: "X", period: "2023", spendCents: 300 }],
    );
    // LTV 450, CAC 150 → 3; monthly margin 240 ÷ 2 ÷ 12 = 10 → payback 15.
    expect(r).toMatchObject({ ltvCents: 450, cacCents: 150, ltvToCac: 3, paybackMonths: 15 });
  });
  it("computes NPS and a Wilson interval", () => {
    expect(nps(5, 2, 10)).toBe(30);
    expect(nps(0, 0, 0)).toBeNull();
    // 8 of 10: the textbook Wilson 95% interval is 0.490 – 0.943.
    const [lo, hi] = wilson(8, 10)!;
    expect(lo).toBeCloseTo(0.4902, 3);
    expect(hi).toBeCloseTo(0.9433, 3);
  });
});

describe("CSV export", () => {
  it("escapes text cells that a spreadsheet would run as a formula", () => {
    expect(escapeCsvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(escapeCsvCell("+33 1 23")).toBe("'+33 1 23");
    expect(escapeCsvCell("-cmd")).toBe("'-cmd");
    expect(escapeCsvCell("@import")).toBe("'@import");
    expect(escapeCsvCell("Acme")).toBe("Acme");
  });
  it("keeps numbers as numbers and quotes separators and quotes", () => {
    expect(escapeCsvCell(-5.25)).toBe("-5.25");
    expect(escapeCsvCell(null)).toBe("");
    expect(escapeCsvCell('He said "hi", then left')).toBe('"He said ""hi"", then left"');
    expect(escapeCsvCell("=1,2")).toBe(`"'=1,2"`);
    expect(toCsv([{ a: "=x", b: 1 }], ["a", "b"], ["name", "amount"])).toBe("name,amount\r\n'=x,1\r\n");
  });
});

describe("page state in the URL", () => {
  const domain: StateDomain = {
    values: {
      industry: ["Retail", "Software"],
      size: ["Small (<50)"],
      region: ["EMEA"],
      tier: ["Pro"],
      channel: ["Inbound"],
    },
    defaults: { grain: "year", abc: [80, 95], by: "industry" },
    accountExists: (id) => id === "ACC-1",
  };
  it("round-trips filters, grain, thresholds, segment, account, measure, window, search, order and drill-down", () => {
    const state = {
      filters: { industry: ["Retail", "Software"], class: ["B"] },
      grain: "quarter",
      abc: [70, 90],
      by: "region",
      account: "ACC-1",
      measure: "nrr",
      compare: 2,
      q: "a&b=c ?",
      sort: "mrr",
      drill: { month: 2024 * 12 + 2, movement: 4 },
    } as const;
    const search = encodeState(state, domain);
    expect(search).toBe(
      "?v=1&industry=Retail&industry=Software&class=B&grain=quarter&abc=70-90&by=region&account=ACC-1&measure=nrr&compare=2&q=a%26b%3Dc+%3F&sort=mrr&drill=2024-03.churn",
    );
    expect(decodeState(search, domain)).toEqual({ state, notes: [] });
  });
  it("restores several values of a filter in the data's order, once each, and keeps the valid ones of a link", () => {
    // Written in any order and repeated, read back as Retail, Software (the dictionary's order).
    const { state, notes } = decodeState("?v=1&industry=Software&industry=Retail&industry=Software", domain);
    expect(state.filters).toEqual({ industry: ["Retail", "Software"] });
    expect(notes).toEqual([]);
    expect(encodeState(state, domain)).toBe("?v=1&industry=Retail&industry=Software");
    // One outdated value among valid ones: the valid ones stay, the note names what is shown.
    const partly = decodeState("?v=1&industry=Mining&industry=Software&class=A&class=C", domain);
    expect(partly.state.filters).toEqual({ industry: ["Software"], class: ["A", "C"] });
    expect(partly.notes).toEqual(['The link\'s industry "Mining" is not in this data; showing Software.']);
    expect(filterOf("industry", ["Software", "Mining", "Retail"], domain)).toEqual(["Retail", "Software"]);
    expect(filterOf("industry", [], domain)).toBeUndefined();
    expect(filterEntries({ class: ["A", "B"], industry: ["Retail"] })).toEqual([
      ["industry", "Retail"],
      ["class", "A"],
      ["class", "B"],
    ]);
  });
  it("writes nothing for the default view", () => {
    expect(encodeState(defaultState(domain), domain)).toBe("");
    expect(decodeState("", domain)).toEqual({ state: defaultState(domain), notes: [] });
  });
  it("falls back value by value, with a note for each invalid or outdated value", () => {
    const { state, notes } = decodeState(
      "?v=1&industry=Mining&region=EMEA&grain=week&abc=95-80&class=Z&account=ACC-404",
      domain,
    );
    expect(state).toEqual({ ...defaultState(domain), filters: { region: ["EMEA"] } });
    expect(notes).toHaveLength(5);
    expect(notes[0]).toMatch(/industry "Mining" is not in this data/);
    const more = decodeState(
      `?v=1&measure=churn&compare=7&q=${"x".repeat(201)}&sort=DROP&drill=2024-13.churn&region=EMEA`,
      domain,
    );
    expect(more.state).toEqual({ ...defaultState(domain), filters: { region: ["EMEA"] } });
    expect(more.notes.map((n) => /link's (\w+)/.exec(n)?.[1])).toEqual([
      "measure",
      "comparison",
      "search",
      "order",
      "drill",
    ]);
    expect(decodeState("?v=1&drill=2024-03.teleport", domain).notes[0]).toMatch(/drill-down/);
  });
  it("quotes at most ECHO_MAX characters of any link value in its notes (#16: a 1.35 MB value was echoed whole)", () => {
    const huge = "Z".repeat(1_350_000);
    const params = ["industry", "grain", "abc", "by", "account", "measure", "compare", "sort", "drill"];
    const { notes } = decodeState(`?v=1&${params.map((k) => `${k}=${huge}`).join("&")}`, domain);
    expect(notes).toHaveLength(params.length);
    for (const note of notes) expect(note.length).toBeLessThan(ECHO_MAX + 120);
    expect(decodeState(`?v=${huge}`, domain).notes[0].length).toBeLessThan(ECHO_MAX + 120);
    expect(notes[0]).toContain(`"${"Z".repeat(ECHO_MAX)}…"`);
  });
  it("falls back to the default view for a link of another version", () => {
    const { state, notes } = decodeState("?v=9&industry=Retail", domain);
    expect(state).toEqual(defaultState(domain));
    expect(notes[0]).toMatch(/another version/);
  });
});
