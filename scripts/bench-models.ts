/**
 * Benchmarks of the CLV model library (not tests: no assertions). Run directly to print a
 * table: `npx tsx scripts/bench-models.ts [--quick]`. Targets (median, in process): BG/NBD and
 * MBG/NBD fits on CDNOW < 30 ms, Pareto/NBD fit on CDNOW < 100 ms, BG/NBD fit on 1,000,000
 * simulated customers < 3 s, CLV with 200-draw bands for 100,000 accounts < 2 s.
 */
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  fitBgnbd,
  fitGammaGamma,
  fitMbgnbd,
  fitParetoNbd,
  predictClvWithBands,
  simulateBgnbd,
} from "../src/lib/models/index.js";
import { createRng, gamma as drawGamma, randomInt } from "../src/lib/random.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const datasets = path.resolve(root, "../shared/datasets");

export interface BenchResult {
  name: string;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  runs: number;
  /** The target median, e.g. "< 30 ms", when there is one. */
  target?: string;
}

function readCdnow() {
  const rows = readFileSync(path.join(datasets, "cdnow_customers_summary_with_transactions.csv"), "utf8")
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(",").map(Number));
  return {
    frequency: rows.map((r) => r[1]),
    recency: rows.map((r) => r[2]),
    T: rows.map((r) => r[3]),
    monetaryValue: rows.map((r) => r[4]),
  };
}

function time(name: string, runs: number, fn: () => void): BenchResult {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const mid = ms.length >> 1;
  const median = ms.length % 2 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
  return { name, median_ms: round(median), min_ms: round(ms[0]), max_ms: round(ms[ms.length - 1]), runs };
}

const round = (v: number) => Math.round(v * 10) / 10;

/**
 * Simulated CDNOW-like customers in whole days: first purchase on one of days 0–83, calibration
 * ending on day 272, recency rounded down to whole days (so identical histories group), in the
 * requested unit (weeks = days / 7). Mean repeat spend from the Gamma-Gamma story.
 */
function simulateAccounts(n: number, seed: number, unit: "days" | "weeks") {
  const rng = createRng(seed);
  const scale = unit === "days" ? 1 : 1 / 7;
  const p = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 }; // α per day
  const Tdays = Float64Array.from({ length: n }, () => 272 - randomInt(rng, 0, 83));
  const sim = simulateBgnbd(rng, p, Tdays);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  const monetaryValue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    recency[i] = Math.floor(sim.recency[i]) * scale;
    T[i] = Tdays[i] * scale;
    const x = sim.frequency[i];
    if (x > 0) {
      const nu = drawGamma(rng, 3.74, 15.44);
      monetaryValue[i] = drawGamma(rng, 6.25 * x, nu * x);
    }
  }
  return { frequency: sim.frequency, recency, T, monetaryValue };
}

export async function benchModels(opts: { quick?: boolean } = {}): Promise<BenchResult[]> {
  const q = opts.quick ?? false;
  const cdnow = readCdnow();
  const out: BenchResult[] = [];
  fitBgnbd(cdnow); // warm-up (JIT)
  out.push({ ...time("BG/NBD fit, CDNOW (2,357 customers)", q ? 3 : 15, () => fitBgnbd(cdnow)), target: "< 30 ms" });
  fitMbgnbd(cdnow);
  out.push({ ...time("MBG/NBD fit, CDNOW (2,357 customers)", q ? 3 : 15, () => fitMbgnbd(cdnow)), target: "< 30 ms" });
  fitParetoNbd(cdnow);
  out.push({
    ...time("Pareto/NBD fit, CDNOW (2,357 customers)", q ? 3 : 15, () => fitParetoNbd(cdnow)),
    target: "< 100 ms",
  });
  const big = simulateAccounts(q ? 200_000 : 1_000_000, 1, "days");
  out.push(
    time(`BG/NBD fit, ${q ? "200,000" : "1,000,000"} simulated customers (whole days, grouped)`, q ? 1 : 3, () =>
      fitBgnbd(big),
    ),
  );
  const bg = fitBgnbd(cdnow);
  const gg = fitGammaGamma(cdnow);
  const accounts = simulateAccounts(q ? 20_000 : 100_000, 2, "weeks");
  out.push(
    time(`CLV + P10/P50/P90 from 200 draws, ${q ? "20,000" : "100,000"} accounts (12 months)`, q ? 1 : 3, () =>
      predictClvWithBands("bgnbd", bg, gg, accounts, {
        unit: "weeks",
        months: 12,
        annualDiscount: 0.1,
        margin: 0.3,
        draws: 200,
        rng: createRng(1),
      }),
    ),
  );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
  const results = await benchModels({ quick: values.quick });
  const w = Math.max(...results.map((r) => r.name.length));
  console.log(`${"benchmark".padEnd(w)}  median_ms   min_ms   max_ms  runs  target`);
  for (const r of results)
    console.log(
      `${r.name.padEnd(w)}  ${String(r.median_ms).padStart(9)}  ${String(r.min_ms).padStart(7)}  ${String(r.max_ms).padStart(7)}  ${String(r.runs).padStart(4)}  ${r.target ?? ""}`,
    );
}
