import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { datasets, repoRoot } from "./helpers.js";

const fixtures = path.join(repoRoot, "test/fixtures/models");
const tsx = path.join(repoRoot, "node_modules/.bin/tsx");

/** Runs `tsx scripts/clv.ts …` (what `npm run -s clv -- …` runs) from the repo root. */
function clv(args: string[], input?: string) {
  const r = spawnSync(tsx, ["scripts/clv.ts", ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    input,
    env: { ...process.env, TZ: "UTC" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("clv command line", () => {
  it("fits BG/NBD to the CDNOW summary and prints FHL 2005's r, α, a, b as JSON", () => {
    const r = clv(["fit", "bgnbd", path.join(datasets, "cdnow_customers_summary.csv")]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.r).toBeCloseTo(0.243, 3);
    expect(j.alpha).toBeCloseTo(4.414, 3);
    expect(j.a).toBeCloseTo(0.793, 3);
    expect(j.b).toBeCloseTo(2.426, 3);
    expect(j.logLik).toBeCloseTo(-9582.4, 1);
    expect(j.n).toBe(2357);
  });

  it("fits Pareto/NBD with the x, t_x, T header aliases", () => {
    const r = clv(["fit", "paretonbd", path.join(datasets, "cdnow_customers_summary_with_transactions.csv")]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.r).toBeCloseTo(0.553, 3);
    expect(j.s).toBeCloseTo(0.606, 3);
  });

  it("fits Gamma-Gamma on the repeat customers (F&H 2013 note 025: p 6.25, q 3.74, γ 15.44)", () => {
    const r = clv(["fit", "gammagamma", path.join(datasets, "cdnow_customers_summary_with_transactions.csv")]);
    const j = JSON.parse(r.stdout);
    expect(j.p).toBeCloseTo(6.25, 2);
    expect(j.q).toBeCloseTo(3.74, 2);
    expect(j.gamma).toBeCloseTo(15.44, 1);
    expect(j.n).toBe(946);
  });

  it("fits sBG from stdin (F&H 2007 regular cohort) with standard errors, and pooled cohorts from a file", () => {
    const r = clv(["fit", "sbg", "-"], "period,alive\n0,1000\n1,631\n2,468\n3,382\n4,326\n5,289\n6,262\n7,241\n");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.gamma).toBeCloseTo(0.704, 3);
    expect(j.delta).toBeCloseTo(1.182, 3);
    expect(j.se.gamma).toBeGreaterThan(0);
    const pooled = clv(["fit", "sbg", path.join(fixtures, "sbg_two_cohorts.csv")]);
    expect(pooled.code).toBe(0);
    expect(JSON.parse(pooled.stdout).n).toBe(2000);
  });

  it("predicts per-customer CLV with P10/P50/P90 bands, the same for the same seed", () => {
    const file = path.join(datasets, "cdnow_customers_summary_with_transactions.csv");
    const params = JSON.stringify({ r: 0.2426, alpha: 4.4135, a: 0.7929, b: 2.4258 });
    const spend = JSON.stringify({ p: 6.2488, q: 3.7446, gamma: 15.4477 });
    const args = [
      "predict",
      file,
      "--model",
      "bgnbd",
      "--params",
      params,
      "--spend-params",
      spend,
      "--t",
      "39",
      "--margin",
      "0.3",
      "--discount",
      "0.1",
      "--draws",
      "50",
      "--seed",
      "1",
    ];
    const r = clv(args);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("id,expected_purchases,probability_alive,expected_spend,clv,clv_p10,clv_p50,clv_p90");
    expect(lines.length).toBe(2358);
    const first = lines[1].split(",").map(Number);
    expect(first[0]).toBe(1);
    expect(first[1]).toBeCloseTo(1.226, 2); // FHL 2005: x = 2, t_x = 30.43, T = 38.86, next 39 weeks
    expect(first[5]).toBeLessThanOrEqual(first[6]);
    expect(first[6]).toBeLessThanOrEqual(first[7]);
    expect(r.stderr).toMatch(/total CLV .* P10 .* P90/);
    expect(clv(args).stdout).toBe(r.stdout);
  });

  it("summarizes transactions into RFM rows, counting same-day purchases once", () => {
    const r = clv(["summarize", path.join(fixtures, "transactions.csv"), "--unit", "days"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("id,frequency,recency,T,monetary_value\na,2,14,28,6\nb,0,0,0,0\n");
  });

  it("documents every command in --help", () => {
    const r = clv(["--help"]);
    expect(r.code).toBe(0);
    for (const w of [
      "fit sbg",
      "fit bgnbd",
      "fit paretonbd",
      "fit gammagamma",
      "predict",
      "summarize",
      "--calibration-end",
      "--draws",
      "--seed",
    ])
      expect(r.stdout).toContain(w);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ["a missing column", ["fit", "bgnbd", "missing_recency.csv"], /missing column: recency or t_x/],
    [
      "recency greater than T",
      ["fit", "bgnbd", "recency_gt_T.csv"],
      /line 3, column recency: recency 40\.5 > T 38\.86/,
    ],
    ["negative spend", ["fit", "gammagamma", "negative_spend.csv"], /line 3, column zbar: negative spend -5/],
    ["a non-numeric value", ["fit", "paretonbd", "non_numeric.csv"], /line 3, column x: not a number: "one"/],
    ["a row with too few fields", ["fit", "bgnbd", "bad_fieldcount.csv"], /line 3: expected 4 fields, found 3/],
  ];
  for (const [what, args, msg] of bad) {
    it(`reports ${what} on stderr with the line and column and exits with 1`, () => {
      const r = clv([...args.slice(0, -1), path.join(fixtures, args[args.length - 1])]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(msg);
    });
  }

  it("rejects an unknown command and a missing option with exit code 1", () => {
    expect(clv(["frobnicate"]).code).toBe(1);
    const r = clv([
      "predict",
      path.join(datasets, "cdnow_customers_summary_with_transactions.csv"),
      "--model",
      "bgnbd",
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing option --params/);
  });
});
