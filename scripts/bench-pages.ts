/**
 * `npx tsx scripts/bench-pages.ts [--dist DIR] [--runs N]`: measures the analyst pages of a
 * built site in headless Chromium (Debian's /usr/bin/chromium), cold cache, on localhost:
 *
 * - first chart: ms from navigation start to the first chart on screen (precomputed JSON);
 * - interactive: ms until DuckDB-WASM has started, loaded the tables and re-rendered live;
 * - bytes before first chart / total: response bytes received by then, and after interactive;
 * - filter change: ms from a filter's change to the re-rendered page (queries + DOM + a frame),
 *   median and p95 over every value of two filters, per run; and the median time from the change
 *   to the engine's last answer (the rest is drawing, layout and the frame);
 * - start-up phases: engine start, fetching and loading each table, the ABC classes (the
 *   page's "atlas: …" performance measures).
 *
 * Prints a table; `benchPages` returns the rows for other scripts.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { launch } from "../test/support/browser.js";
import { serveStatic } from "../test/support/serve.js";

export const BENCH_PAGES = ["/cohorts", "/pareto", "/segments", "/accounts"] as const;
/** The filters switched on each page for the latency measurement. */
const FILTERS = ["industry", "region"] as const;

export interface BenchRow {
  page: string;
  metric: string;
  median: number;
  min: number;
  max: number;
  unit: string;
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

function summarize(page: string, metric: string, values: number[], unit: string): BenchRow {
  return { page, metric, median: quantile(values, 0.5), min: Math.min(...values), max: Math.max(...values), unit };
}

export async function benchPages(opts: { dist: string; runs?: number }): Promise<BenchRow[]> {
  const runs = opts.runs ?? 3;
  const server = await serveStatic(path.resolve(opts.dist));
  const browser = await launch();
  const out: BenchRow[] = [];
  try {
    for (const route of BENCH_PAGES) {
      const first: number[] = [];
      const interactive: number[] = [];
      const bytesFirst: number[] = [];
      const bytesTotal: number[] = [];
      const medians: number[] = [];
      const p95s: number[] = [];
      const answeredMedians: number[] = [];
      const phases = new Map<string, number[]>();
      for (let run = 0; run < runs; run++) {
        const session = await browser.session();
        const page = await session.newPage();
        // Every response, the page's and its workers' (DuckDB-WASM's engine is fetched by its worker).
        let bytes = 0;
        const sizes: Promise<void>[] = [];
        session.context.on("requestfinished", (request) => {
          sizes.push(
            request.sizes().then((s) => {
              bytes += s.responseBodySize + s.responseHeadersSize;
            }),
          );
        });
        await page.goto(server.url + route);
        await page.waitForFunction(() => window.__atlasAnalyst?.firstChart !== undefined, undefined, {
          timeout: 60_000,
          polling: 16,
        });
        await Promise.all(sizes);
        const atFirst = bytes;
        await page.locator("body[data-analyst-ready]").waitFor({ timeout: 120_000 });
        await page.waitForLoadState("networkidle");
        await Promise.all(sizes);
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          const origin = nav ? nav.startTime : 0;
          return {
            first: window.__atlasAnalyst!.firstChart! - origin,
            interactive: window.__atlasAnalyst!.interactive! - origin,
          };
        });
        for (const m of await page.evaluate(() =>
          performance
            .getEntriesByType("measure")
            .filter((e) => e.name.startsWith("atlas: "))
            .map((e) => [e.name.slice(7).replace(/ \(\d+ KB\)$/, ""), e.duration] as const),
        )) {
          phases.set(m[0], [...(phases.get(m[0]) ?? []), m[1]]);
        }
        first.push(t.first);
        interactive.push(t.interactive);
        bytesFirst.push(atFirst);
        bytesTotal.push(bytes);
        // Filter changes: every value of two filters, then back to all.
        const latencies: number[] = [];
        const answers: number[] = [];
        for (const dim of FILTERS) {
          const select = page.locator(`[data-filter="${dim}"] select`);
          const options = await select.locator("option").allTextContents();
          for (const label of [...options.slice(1), options[0]]) {
            const before = Number(await page.evaluate(() => document.body.dataset.analystRender ?? "0"));
            const renders = await page.evaluate(() => window.__atlasAnalyst!.renders.length);
            await select.selectOption({ label });
            await page.waitForFunction(
              (n) =>
                Number(document.body.dataset.analystRender ?? "0") > n && document.body.dataset.analystBusy === "false",
              before,
              { timeout: 60_000, polling: 16 },
            );
            const done = await page.evaluate(
              (k) => ({
                renders: window.__atlasAnalyst!.renders.slice(k),
                answers: window.__atlasAnalyst!.answers.slice(k),
              }),
              renders,
            );
            latencies.push(...done.renders);
            answers.push(...done.answers);
          }
        }
        answeredMedians.push(quantile(answers, 0.5));
        medians.push(quantile(latencies, 0.5));
        p95s.push(quantile(latencies, 0.95));
        if (session.errors.length) throw new Error(`${route}: ${session.errors.join("; ")}`);
        await session.close();
      }
      out.push(summarize(route, "first chart", first, "ms"));
      out.push(summarize(route, "interactive", interactive, "ms"));
      out.push(summarize(route, "bytes before first chart", bytesFirst, "B"));
      out.push(summarize(route, "bytes total", bytesTotal, "B"));
      out.push(summarize(route, "filter change median", medians, "ms"));
      out.push(summarize(route, "filter change p95", p95s, "ms"));
      out.push(summarize(route, "filter change: last answer", answeredMedians, "ms"));
      for (const [name, xs] of phases) out.push(summarize(route, `start-up: ${name}`, xs, "ms"));
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { dist: { type: "string", default: "dist" }, runs: { type: "string", default: "3" } },
  });
  const rows = await benchPages({ dist: values.dist!, runs: Number(values.runs) });
  const fmt = (v: number, unit: string) => (unit === "B" ? `${(v / 1024).toFixed(0)} kB` : `${v.toFixed(0)} ms`);
  process.stdout.write(
    `${"page".padEnd(10)} ${"metric".padEnd(26)} ${"median".padStart(10)} ${"min".padStart(10)} ${"max".padStart(10)}\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${r.page.padEnd(10)} ${r.metric.padEnd(26)} ${fmt(r.median, r.unit).padStart(10)} ${fmt(r.min, r.unit).padStart(10)} ${fmt(r.max, r.unit).padStart(10)}\n`,
    );
}
