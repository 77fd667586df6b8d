// Named views in the browser's storage: saved newest first, replaced by name per page,
// removed, and a damaged or hostile store read as no views rather than trusted.
import { describe, expect, it } from "vitest";
import { readViews, removeView, saveView } from "../../src/components/saved-views.js";

function memory(initial?: string) {
  const data = new Map<string, string>(initial === undefined ? [] : [["ltv-atlas:views", initial]]);
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe("saved views", () => {
  it("keeps views newest first, one per name and page, and removes them", () => {
    const store = memory();
    saveView({ name: "EMEA", page: "/cohorts", search: "?v=1&region=EMEA" }, store);
    saveView({ name: "EMEA", page: "/pareto", search: "?v=1&region=EMEA&compare=2" }, store);
    saveView({ name: " EMEA ", page: "/cohorts", search: "?v=1&region=EMEA&measure=nrr" }, store);
    expect(readViews(store)).toEqual([
      { name: "EMEA", page: "/cohorts", search: "?v=1&region=EMEA&measure=nrr" },
      { name: "EMEA", page: "/pareto", search: "?v=1&region=EMEA&compare=2" },
    ]);
    expect(removeView({ name: "EMEA", page: "/pareto", search: "" }, store)).toHaveLength(1);
  });

  it("reads a damaged or foreign store as no views", () => {
    expect(readViews(memory("{not json"))).toEqual([]);
    expect(readViews(memory('{"name":"x"}'))).toEqual([]);
    expect(
      readViews(
        memory(
          JSON.stringify([
            { name: "ok", page: "/accounts", search: "" },
            { name: 1 },
            { name: "js", page: "/x", search: "javascript:alert(1)" },
          ]),
        ),
      ),
    ).toEqual([{ name: "ok", page: "/accounts", search: "" }]);
  });
});
