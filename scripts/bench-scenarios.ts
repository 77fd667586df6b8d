/**
 * Slider latency of the scenario workbench in headless Chromium: open /scenarios/ on a built
 * site with a three-lever scenario, then move the price slider `runs` times and time each
 * move from the input event to updated numbers and charts (style and layout included), and
 * to the next frame.
 *
 *   npx tsx scripts/bench-scenarios.ts [--dist dist] [--runs 40]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { encodeScenarioSearch } from "../src/lib/scenarios/url.js";
import type { Scenario } from "../src/lib/scenarios/ledger.js";
import { serveStatic } from "../test/support/serve.js";

export interface BenchRow {
  readonly metric: string;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

const SCENARIO: Scenario = {
  version: 1,
  title: "Benchmark",
  ledger: [
    {
      lever: "priceChange",
      segment: { tier: ["Pro"] },
      params: { pricePct: 5, elasticity: 0.5 },
      reason: "bench",
      author: "bench",
      date: "2026-01-01",
    },
    {
      lever: "competitorEntry",
      segment: { size: ["Enterprise (1000+)"] },
      params: { churnUpliftPct: 40, startMonth: 6, rampMonths: 6 },
      reason: "bench",
      author: "bench",
      date: "2026-01-01",
    },
    {
      lever: "massAdjustment",
      segment: { region: ["EMEA"] },
      params: { mode: "percent", amount: -3 },
      reason: "bench",
      author: "bench",
      date: "2026-01-01",
    },
  ],
};

function summarize(metric: string, values: number[]): BenchRow {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { metric, median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1], unit: "ms" };
}

export async function benchScenarios(opts: { dist: string; runs?: number }): Promise<BenchRow[]> {
  const runs = opts.runs ?? 40;
  const server = await serveStatic(path.resolve(opts.dist));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const t0 = performance.now();
    await page.goto(`${server.url}/scenarios/${encodeScenarioSearch(SCENARIO)}`, { waitUntil: "networkidle" });
    await page.locator("[data-workbench]").waitFor({ timeout: 120_000 });
    const load = performance.now() - t0;
    await page.locator('[data-entry="0"] [data-action=edit]').click();
    const slider = page.locator("[data-editor] input[type=range][name=pricePct]");
    await slider.waitFor();
    const timings = await page.evaluate(async (n) => {
      const input = document.querySelector<HTMLInputElement>("[data-editor] input[type=range][name=pricePct]")!;
      const sync: number[] = [];
      const frame: number[] = [];
      for (let i = 0; i < n; i++) {
        const start = performance.now();
        input.value = String(((i * 7) % 40) - 10);
        input.dispatchEvent(new Event("input", { bubbles: true }));
        void document.body.offsetHeight; // style and layout of the updated numbers and charts
        sync.push(performance.now() - start);
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        frame.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      return { sync, frame };
    }, runs);
    return [
      summarize("slider move → numbers and charts updated (incl. layout)", timings.sync),
      summarize("slider move → next frame", timings.frame),
      { metric: "page load → workbench ready (once)", median: load, p95: load, min: load, max: load, unit: "ms" },
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({
    options: { dist: { type: "string", default: "dist" }, runs: { type: "string", default: "40" } },
  });
  const rows = await benchScenarios({ dist: values.dist!, runs: Number(values.runs) });
  process.stdout.write(`scenario workbench, ${values.dist}\n`);
  process.stdout.write(
    `${"metric".padEnd(58)} ${"median".padStart(8)} ${"p95".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)}\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${r.metric.padEnd(58)} ${r.median.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.min.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)} ${r.unit}\n`,
    );
}
