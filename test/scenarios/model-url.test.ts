/** The ledger's validation and the scenario in the URL: round trip, damaged and old links. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  emptyScenario,
  ScenarioError,
  validateScenario,
  type Scenario,
  type SegmentDictionary,
} from "../../src/lib/scenarios/ledger.js";
import { decodeScenarioSearch, encodeScenarioSearch, fromBase64Url, toBase64Url } from "../../src/lib/scenarios/url.js";

const DICT: SegmentDictionary = {
  size: ["Small (<50)", "Mid (50–999)", "Enterprise (1000+)"],
  industry: ["Manufacturing", "Retail"],
  region: ["EMEA"],
  tier: ["Pro", "Enterprise"],
  businessModel: ["subscription", "transactional"],
  products: ["PLN-PRO"],
  abc: ["A", "B", "C", "none"],
};
const SCENARIO: Scenario = {
  version: 1,
  title: "Prix +8 % — «mid-size» manufacturing",
  ledger: [
    {
      lever: "priceChange",
      segment: { industry: ["Manufacturing"], size: ["Mid (50–999)"], tier: ["Pro"] },
      params: { pricePct: 8, elasticity: 0.5 },
      reason: "List price unchanged since 2023",
      author: "Finance",
      date: "2026-10-05",
    },
    {
      lever: "massAdjustment",
      segment: { tier: ["Enterprise"], minSeats: 101 },
      params: { mode: "percent", amount: 12 },
      reason: "New licence model",
      author: "Sales",
      date: "2026-10-06",
    },
  ],
};

describe("validating a scenario", () => {
  it("accepts a well-formed scenario unchanged", () => {
    expect(validateScenario(JSON.parse(JSON.stringify(SCENARIO)), { dictionary: DICT, requireReasons: true })).toEqual(
      SCENARIO,
    );
  });

  const errorOf = (raw: unknown, options = {}) => {
    try {
      validateScenario(raw, { dictionary: DICT, ...options });
    } catch (error) {
      if (error instanceof ScenarioError) return `${error.field} | ${error.message}`;
      throw error;
    }
    return null;
  };
  const withEntry = (change: Record<string, unknown>) => ({
    ...SCENARIO,
    ledger: [SCENARIO.ledger[0], { ...SCENARIO.ledger[1], ...change }],
  });

  it("names the field at fault", () => {
    expect(errorOf({ ...SCENARIO, version: 0 })).toMatch(/^version \|.*another version/);
    expect(errorOf(withEntry({ lever: "discount" }))).toMatch(/^ledger\[1\]\.lever \| .*invalid lever "discount"/);
    expect(errorOf(withEntry({ params: { mode: "percent", amount: 2000 } }))).toMatch(
      /^ledger\[1\]\.params\.amount \|/,
    );
    expect(
      errorOf({ ...SCENARIO, ledger: [{ ...SCENARIO.ledger[0], params: { pricePct: 500, elasticity: 0 } }] }),
    ).toMatch(/^ledger\[0\]\.params\.pricePct \| .*500 is outside -50 … 100/);
    expect(errorOf(withEntry({ segment: { industry: ["Mining"] } }))).toMatch(
      /^ledger\[1\]\.segment\.industry \| .*"Mining" is not in this data/,
    );
    expect(errorOf(withEntry({ segment: { colour: ["red"] } }))).toMatch(
      /^ledger\[1\]\.segment\.colour \| .*not a known field/,
    );
    expect(errorOf(withEntry({ date: "05/10/2026" }))).toMatch(/^ledger\[1\]\.date \|/);
    expect(errorOf(withEntry({ reason: "  " }), { requireReasons: true })).toMatch(
      /^ledger\[1\]\.reason \| .*required/,
    );
    expect(errorOf(withEntry({ reason: "" }))).toBeNull();
  });
});

describe("the scenario in the URL", () => {
  it("round-trips exactly, including non-ASCII text", () => {
    const search = encodeScenarioSearch(SCENARIO);
    expect(search).toMatch(/^\?s=[A-Za-z0-9_-]+$/);
    expect(decodeScenarioSearch(search, DICT)).toEqual({ scenario: SCENARIO, message: null });
  });

  it("writes nothing for the baseline", () => {
    expect(encodeScenarioSearch(emptyScenario())).toBe("");
    expect(decodeScenarioSearch("", DICT)).toEqual({ scenario: emptyScenario(), message: null });
  });

  it("shows a message and the baseline for a damaged link", () => {
    const search = encodeScenarioSearch(SCENARIO);
    for (const damaged of [search.slice(0, -7), search.replace("s=", "s=%%"), `${search}!`, "?s=AAAA"]) {
      const d = decodeScenarioSearch(damaged, DICT);
      expect(d.scenario).toEqual(emptyScenario());
      expect(d.message).toMatch(/could not be opened .*showing the baseline/);
    }
  });

  it("shows a message and the baseline for a link from another version", () => {
    const d = decodeScenarioSearch(`?s=${toBase64Url(JSON.stringify({ ...SCENARIO, version: 99 }))}`, DICT);
    expect(d.scenario.ledger).toEqual([]);
    expect(d.message).toMatch(/another version/);
  });

  it("base64url round-trips any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(fromBase64Url(toBase64Url(text))).toBe(text);
      }),
    );
  });
});

describe("bounds on what a link may hold (issue 16)", () => {
  const entry = (params: Record<string, unknown>, segment: Record<string, unknown> = {}) => ({
    lever: "massAdjustment",
    segment,
    params,
    reason: "r",
    author: "a",
    date: "2026-10-05",
  });
  const scenario = (ledger: unknown[]) => ({ version: 1, title: "t", ledger });

  it("refuses a minSeats beyond a million, such as 1e308", () => {
    expect(() => validateScenario(scenario([entry({ mode: "percent", amount: 1 }, { minSeats: 1e308 })]))).toThrow(
      /minSeats.*from 0 to 1,000,000/,
    );
    expect(
      validateScenario(scenario([entry({ mode: "percent", amount: 1 }, { minSeats: 1_000_000 })])).ledger,
    ).toHaveLength(1);
  });

  it("refuses percent adjustments that compound past ×11, and accepts one of +1000%", () => {
    expect(() =>
      validateScenario(scenario(Array.from({ length: 24 }, () => entry({ mode: "percent", amount: 1000 })))),
    ).toThrow(/compound to ×[\d,]+; at most ×11/);
    expect(validateScenario(scenario([entry({ mode: "percent", amount: 1000 })])).ledger).toHaveLength(1);
  });

  it("cuts what a damaged link echoes into its note", () => {
    const huge = "x".repeat(10_000);
    for (const raw of [
      { version: 1, title: "t", ledger: [], [huge]: 1 },
      scenario([{ ...entry({ mode: "percent", amount: 1 }), lever: huge }]),
      scenario([entry({ mode: "percent", amount: 1 }, { industry: [huge] })]),
    ]) {
      const { message } = decodeScenarioSearch(`?s=${toBase64Url(JSON.stringify(raw))}`, DICT);
      expect(message).toMatch(/could not be opened/);
      expect(message!.length).toBeLessThan(500);
    }
  });
});
