/**
 * The strict build: when more of an extract is quarantined than the config's
 * `quarantineLimit` allows (default 1% of its rows or of its money), the build stops with the
 * top reasons and a file of the rejected rows — a report built on a fraction of the data
 * must not look complete. `--allow-quarantine` builds anyway (the data-quality page then
 * shows the same shares).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { AtlasConfig } from "../config.js";
import { literal, type Db } from "../db.js";
import { AtlasError } from "../errors.js";
import type { ExtractReport, IngestReport } from "../../src/lib/shapes/ingest-report.js";
import { unitsOf } from "./index.js";
import { displayPath } from "./read.js";

export interface QuarantineShare {
  readonly extract: string;
  /** Quarantined rows ÷ rows read that no filter left out. */
  readonly rows: number;
  /** |quarantined money| ÷ |source money| (0 for an extract without a money column). */
  readonly money: number;
}

export function quarantineShare(e: ExtractReport): QuarantineShare {
  const considered = e.rowsRead - e.filtered.reduce((n, f) => n + f.count, 0);
  const rows = considered > 0 ? e.quarantined / considered : 0;
  let money = 0;
  if (e.money) {
    const source = abs(unitsOf(e.money.sourceTotal));
    // Positive and negative amounts may cancel in the source total: measure against the larger of the two parts.
    const denominator = source > abs(unitsOf(e.money.acceptedTotal)) ? source : abs(unitsOf(e.money.acceptedTotal));
    money =
      denominator === 0n ? 0 : Number((abs(unitsOf(e.money.quarantinedTotal)) * 1_000_000n) / denominator) / 1_000_000;
  }
  return { extract: e.extract, rows, money };
}

export async function assertQuarantineWithinLimit(
  db: Db,
  report: IngestReport,
  config: AtlasConfig,
  storeDir: string,
  options: { allow: boolean; log: (line: string) => void },
): Promise<void> {
  const limit = config.quarantineLimit;
  const over = report.extracts
    .filter((e) => e.provided)
    .map((e) => ({ e, share: quarantineShare(e) }))
    .filter(({ share }) => share.rows > limit.rows || share.money > limit.money);
  if (over.length === 0) return;
  const dir = path.join(path.dirname(storeDir), "rejected");
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (const { e, share } of over) {
    const file = path.join(dir, `${e.extract}.csv`);
    await db.run(
      `COPY (SELECT line, code, column_name AS "column", message, raw FROM quarantine WHERE extract = ${literal(e.extract)} ORDER BY line) TO ${literal(file)} (HEADER, DELIMITER ',')`,
    );
    const top = e.reasons
      .slice(0, 3)
      .map(
        (r) =>
          `${r.code}${r.column ? ` in ${r.column}` : ""} × ${r.count.toLocaleString("en-US")} (e.g. line ${r.examples[0]?.line}: ${r.examples[0]?.message})`,
      );
    const money = e.money ? `, ${percent(share.money)} of ${e.money.column}` : "";
    lines.push(
      `${e.extract}: ${e.quarantined.toLocaleString("en-US")} rows quarantined = ${percent(share.rows)} of rows${money} (limit ${percent(limit.rows)} of rows, ${percent(limit.money)} of money)`,
      ...top.map((t) => `    ${t}`),
      `    every rejected row: ${displayPath(file)}`,
    );
  }
  if (options.allow) {
    options.log(
      `warning: building with more quarantined than quarantineLimit allows (--allow-quarantine):\n  ${lines.join("\n  ")}`,
    );
    return;
  }
  throw new AtlasError(
    `too much of the data was quarantined to build a truthful report:\n  ${lines.join("\n  ")}\n` +
      `Fix the mapping or the export (npm run init proposes one), raise "quarantineLimit" in ${displayPath(config.configPath)}, or build anyway with: npm run build -- --allow-quarantine`,
  );
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 2 : 1)}%`;
}
