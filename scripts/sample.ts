/**
 * npm run sample -- [--accounts N] [--years Y] [--seed S] [--as-of YYYY-MM-DD] [--out DIR]
 *
 * Writes the synthetic CRM extracts (data/README.md) — by default the committed sample in
 * data/sample/. Same arguments, same bytes. See loaders/sample/README.md for the story.
 */
import { resolve } from "node:path";
import { parseSampleArgs } from "../loaders/sample/args.js";
import { generateSample } from "../loaders/sample/generate.js";

function main(): void {
  let options;
  try {
    options = parseSampleArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`sample: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    process.stdout.write(
      "usage: npm run sample -- [--accounts N] [--years Y] [--seed S] [--as-of YYYY-MM-DD] [--out DIR]\n",
    );
    return;
  }
  const out = resolve(options.out);
  const started = performance.now();
  const big = options.accounts >= 5000;
  process.stderr.write(
    `sample: ${options.accounts} accounts, ${options.years} years to ${options.asOf}, seed ${options.seed} → ${out}\n`,
  );
  const summary = generateSample({
    ...options,
    out,
    onProgress: big
      ? (done, total) =>
          process.stderr.write(
            `sample: ${Math.round((100 * done) / total)}% (${done}/${total} accounts, ${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
          )
      : undefined,
  });
  const seconds = (performance.now() - started) / 1000;
  let rows = 0;
  let bytes = 0;
  const width = Math.max(...summary.map((s) => s.file.length));
  for (const s of summary) {
    rows += s.rows;
    bytes += s.bytes;
    process.stdout.write(
      `${s.file.padEnd(width)}  ${String(s.rows).padStart(11)} rows  ${formatBytes(s.bytes).padStart(9)}\n`,
    );
  }
  process.stdout.write(
    `${"total".padEnd(width)}  ${String(rows).padStart(11)} rows  ${formatBytes(bytes).padStart(9)}  in ${seconds.toFixed(1)} s\n`,
  );
}

function formatBytes(b: number): string {
  return b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${(b / 1024).toFixed(1)} kB`;
}

main();
