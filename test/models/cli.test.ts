import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bgnbdExpectedPurchases } from "../../src/lib/models/bgnbd.js";
import { formatCsv } from "../../src/lib/models/csv.js";
import { hyp2f1 } from "../../src/lib/models/hyp2f1.js";
import {
  mbgnbdConditionalExpectedPurchases,
  mbgnbdProbabilityAlive,
  simulateMbgnbd,
} from "../../src/lib/models/mbgnbd.js";
import { paretoNbdExpectedPurchases } from "../../src/lib/models/paretonbd.js";
import { createRng } from "../../src/lib/random.js";
import { cdnowWithSpend, datasets, repoRoot } from "./helpers.js";

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
      "fit mbgnbd",
      "fit paretonbd",
      "fit gammagamma",
      "predict",
      "summarize",
      "--calibration-end",
      "--draws",
      "--seed",
      "--monthly-discount",
      "--month-length",
      "expected",
      "pmf",
      "derl",
      "survival",
      "--columns",
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

const csvRows = (text: string) =>
  text
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(",").map(Number));

// BTYDplus's MBG/NBD fit of the CDNOW calibration data (also lifetimes' test value).
const MBG = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };

describe("clv command line: MBG/NBD and the reference implementation's conventions", () => {
  const withSpend = path.join(datasets, "cdnow_customers_summary_with_transactions.csv");

  it("fits MBG/NBD to the CDNOW summary with the published r 0.525, α 6.183, a 0.891, b 1.614", () => {
    const r = clv(["fit", "mbgnbd", path.join(datasets, "cdnow_customers_summary.csv")]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const j = JSON.parse(r.stdout);
    for (const k of ["r", "alpha", "a", "b"] as const) expect(j[k]).toBeCloseTo(MBG[k], 3);
    expect(j.warnings).toBeUndefined();
  });

  it("reproduces lifetimes' customer_lifetime_value (freq W: 4.345-week months, monthly discount 0.01) to 1e-6", () => {
    // Oracle: lifetimes' loop, Σ_{k=1}^{12} zbar* · [E(4.345k) − E(4.345(k−1))] / 1.01^k with E its
    // conditional_expected_number_of_purchases_up_to_time (the ₂F₁ form, written out here) and
    // zbar* the Gamma-Gamma conditional_expected_average_profit p(γ + x z̄)/(px + q − 1).
    const r = clv([
      "predict",
      withSpend,
      "--model",
      "mbgnbd",
      "--params",
      JSON.stringify(MBG),
      "--spend-params",
      JSON.stringify(GG),
      "--t",
      "39",
      "--months",
      "12",
      "--monthly-discount",
      "0.01",
      "--month-length",
      "4.345",
      "--draws",
      "0",
    ]);
    expect(r.code).toBe(0);
    const rows = csvRows(r.stdout);
    const data = cdnowWithSpend();
    const cond = (t: number, x: number, tx: number, T: number) => {
      const { r: rr, alpha, a, b } = MBG;
      if (t === 0) return 0;
      const hyp = hyp2f1(rr + x, b + x + 1, a + b + x, t / (alpha + T + t));
      const num = ((a + b + x) / (a - 1)) * (1 - hyp * Math.pow((alpha + T) / (alpha + t + T), rr + x));
      return num / (1 + (a / (b + x)) * Math.pow((alpha + T) / (alpha + tx), rr + x));
    };
    for (let i = 0; i < data.frequency.length; i += 7) {
      const x = data.frequency[i],
        tx = data.recency[i],
        T = data.T[i];
      const spend = (GG.p * (GG.gamma + x * data.monetaryValue[i])) / (GG.p * x + GG.q - 1);
      let clvRef = 0;
      for (let k = 1; k <= 12; k++)
        clvRef += (spend * (cond(4.345 * k, x, tx, T) - cond(4.345 * (k - 1), x, tx, T))) / Math.pow(1.01, k);
      expect(Math.abs(rows[i][4] - clvRef) / clvRef).toBeLessThan(1e-6);
      expect(Math.abs(rows[i][1] - cond(39, x, tx, T)) / cond(39, x, tx, T)).toBeLessThan(1e-6);
    }
  });

  it("predicts purchases and P(alive) only when no spend parameters are given", () => {
    const r = clv([
      "predict",
      path.join(datasets, "cdnow_customers_summary.csv"),
      "--model",
      "mbgnbd",
      "--params",
      JSON.stringify(MBG),
      "--t",
      "39",
    ]);
    expect(r.code).toBe(0);
    const [header] = r.stdout.split("\n");
    expect(header).toBe("id,expected_purchases,probability_alive");
    const rows = csvRows(r.stdout);
    const h = cdnowWithSpend();
    const e = mbgnbdConditionalExpectedPurchases(MBG, 39, h);
    const pa = mbgnbdProbabilityAlive(MBG, h);
    rows.forEach((row, i) => {
      expect(row[1]).toBeCloseTo(e[i], 8);
      expect(row[2]).toBeCloseTo(pa[i], 8);
    });
    const margin = clv([
      "predict",
      withSpend,
      "--model",
      "mbgnbd",
      "--params",
      JSON.stringify(MBG),
      "--t",
      "39",
      "--margin",
      "0.3",
    ]);
    expect(margin.code).toBe(1);
    expect(margin.stderr).toMatch(/--margin needs --spend-params/);
  });

  it("prints unconditional E[X(t)] and P(X(t) = n) (BTYD: P(X(2) = 10) = 1.07869e-7 at FHL 2005's BG/NBD fit)", () => {
    const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const e = clv(["expected", "--model", "bgnbd", "--params", JSON.stringify(bg), "--t", "0,39,78"]);
    expect(e.code).toBe(0);
    const rows = csvRows(e.stdout);
    expect(rows.map((r) => r[0])).toEqual([0, 39, 78]);
    expect(rows[0][1]).toBe(0);
    expect(rows[2][1]).toBeCloseTo(bgnbdExpectedPurchases(bg, 78), 8);
    const p = clv(["pmf", "--model", "bgnbd", "--params", JSON.stringify(bg), "--t", "2", "--n", "10"]);
    expect(p.code).toBe(0);
    const pm = csvRows(p.stdout);
    expect(pm).toHaveLength(11);
    expect(Math.abs(pm[10][1] - 1.07869e-7) / 1.07869e-7).toBeLessThan(1e-4);
    // Pareto/NBD by quadrature: its probabilities sum to 1 with mean E[X(t)] (closed form).
    const pnbd = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
    const pareto = clv(["pmf", "--model", "paretonbd", "--params", JSON.stringify(pnbd), "--t", "39", "--n", "2000"]);
    expect(pareto.code).toBe(0);
    const pp = csvRows(pareto.stdout);
    expect(pp.reduce((acc, [, q]) => acc + q, 0)).toBeCloseTo(1, 8);
    expect(pp.reduce((acc, [k, q]) => acc + k * q, 0) / paretoNbdExpectedPurchases(pnbd, 39)).toBeCloseTo(1, 7);
  });

  it("prints sBG DERL and survival projections (F&H 2007 regular cohort γ 0.704, δ 1.182)", () => {
    const sbg = JSON.stringify({ gamma: 0.704, delta: 1.182 });
    const d = clv(["derl", "--params", sbg, "--renewals", "0,300", "--period-discount", "0.1"]);
    expect(d.code).toBe(0);
    const dr = csvRows(d.stdout);
    // 300 renewals at d = 0.1: ≈ 10.73 (issue #14's independent value); the retention there is
    // (δ + 300)/(γ + δ + 300) ≈ 0.9977, so DERL is close to the geometric Σ (0.9977/1.1)^k = 10.75.
    expect(dr[1][1]).toBeCloseTo(10.73, 2);
    const s = clv(["survival", "--params", sbg, "--periods", "7", "--cohort-size", "1000"]);
    expect(s.code).toBe(0);
    const rows = csvRows(s.stdout);
    expect(rows).toHaveLength(8);
    // Independent: S(t) = Π_{k=1}^{t} (δ + k − 1)/(γ + δ + k − 1), the product of the retention rates.
    let surv = 1;
    for (let t = 1; t <= 7; t++) {
      surv *= (1.182 + t - 1) / (0.704 + 1.182 + t - 1);
      expect(rows[t][1]).toBeCloseTo(surv, 9);
      expect(rows[t][3]).toBeCloseTo(1000 * surv, 6);
    }
    expect(s.stdout.split("\n")[1]).toBe("0,1,,1000"); // no retention at period 0
  });

  it("summarizes the whitespace-delimited CDNOW sample into the published 39-week calibration summary", () => {
    const r = clv([
      "summarize",
      path.join(datasets, "CDNOW_sample.txt"),
      "--columns",
      "master_id,id,date,cds,amount",
      "--calibration-end",
      "1997-09-30",
    ]);
    expect(r.code).toBe(0);
    const got = csvRows(r.stdout);
    const want = csvRows(readFileSync(path.join(datasets, "cdnow_customers_summary_with_transactions.csv"), "utf8"));
    expect(got).toHaveLength(2357);
    got.forEach((g, i) => {
      expect(g[0]).toBe(want[i][0]);
      expect(g[1]).toBe(want[i][1]);
      expect(Math.abs(g[2] - want[i][2])).toBeLessThan(0.006); // the summary has 2 decimals
      expect(Math.abs(g[3] - want[i][3])).toBeLessThan(0.006);
      expect(Math.abs(g[4] - want[i][4])).toBeLessThan(0.006);
    });
    const noHeader = clv(["summarize", path.join(datasets, "CDNOW_sample.txt")]);
    expect(noHeader.code).toBe(1);
    expect(noHeader.stderr).toMatch(/line 1: no header line .*--columns/);
  });

  it("summarizes the CDNOW master file (header customer_id date … dollar_value) and fits Gamma-Gamma on it, leaving the $0 repeat customer out with a note", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "clv-"));
    const s = clv(["summarize", path.join(datasets, "CDNOW_master.txt"), "--calibration-end", "1997-09-30"]);
    expect(s.code).toBe(0);
    expect(s.stdout.trim().split("\n")).toHaveLength(23571);
    const file = path.join(dir, "master.csv");
    writeFileSync(file, s.stdout);
    const g = clv(["fit", "gammagamma", file]);
    expect(g.code).toBe(0);
    expect(g.stderr).toMatch(/1 repeat customer\(s\) with a mean spend of \$0 left out/);
    expect(JSON.parse(g.stdout).q).toBeGreaterThan(1);
  });
});

describe("clv command line: degenerate input", () => {
  const rfm = (rows: string[]) => "id,frequency,recency,T\n" + rows.join("\n") + "\n";

  for (const model of ["bgnbd", "mbgnbd", "paretonbd"]) {
    it(`fit ${model} refuses all-zero frequencies, a single customer and purchases with T = 0 (exit 1)`, () => {
      const zero = clv(["fit", model, "-"], rfm(["a,0,0,10", "b,0,0,12", "c,0,0,30"]));
      expect(zero.code).toBe(1);
      expect(zero.stderr).toMatch(/all frequencies are 0/);
      const one = clv(["fit", model, "-"], rfm(["a,3,8,10"]));
      expect(one.code).toBe(1);
      expect(one.stderr).toMatch(/a single customer/);
      const t0 = clv(["fit", model, "-"], rfm(["a,3,8,10", "b,2,0,0"]));
      expect(t0.code).toBe(1);
      expect(t0.stderr).toMatch(/line 3, column recency: 2 repeat purchases in an observation of length T = 0/);
    });
  }

  it("prints a fit the data cannot support with its warnings and exits with 2 (customers who never leave)", () => {
    const rng = createRng(7);
    const T = Float64Array.from({ length: 3000 }, () => 26 + 26 * rng.next());
    const sim = simulateMbgnbd(rng, { r: 2, alpha: 10, a: 1e-3, b: 1e4 }, T);
    const csv = formatCsv(
      ["id", "frequency", "recency", "T"],
      [Array.from(T, (_, i) => String(i + 1)), sim.frequency, sim.recency, sim.T],
    );
    const r = clv(["fit", "mbgnbd", "-"], csv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/clv: warning: the MBG\/NBD fit is not supported by the data/);
    expect(JSON.parse(r.stdout).warnings.length).toBeGreaterThan(0);
  });

  it("rejects an unknown option (exit 1)", () => {
    const r = clv(["fit", "bgnbd", "x.csv", "--frobnicate", "1"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/clv: error: .*frobnicate/);
  });
});
