/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import {
  decodeState,
  defaultState,
  ECHO_MAX,
  encodeState,
  filterEntries,
  filterOf,
  type StateDomain,
} from "../../src/lib/analysis/url-state.js";

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
      step: { from: 2023 * 12 + 11, to: 2024 * 12 + 2, step: "expansion" },
    } as const;
    const search = encodeState(state, domain);
    expect(search).toBe(
      "?v=1&industry=Retail&industry=Software&class=B&grain=quarter&abc=70-90&by=region&account=ACC-1&measure=nrr&compare=2&q=a%26b%3Dc+%3F&sort=mrr&drill=2024-03.churn&step=2023-12.2024-03.expansion",
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
    const params = ["industry", "grain", "abc", "by", "account", "measure", "compare", "sort", "drill", "step"];
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
