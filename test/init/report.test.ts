/**
 * loaders/init/report.ts: the coverage init predicts from the files it was given matches what
 * coverage.ts says of the same data (the sample: everything), and the gains listed are exactly
 * the extracts missing.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposeFile } from "../../loaders/init/propose.js";
import { missingGains, pageSupport, predictCoverage, renderReport } from "../../loaders/init/report.js";
import { sampleFile } from "../../loaders/init/sample.js";
import { EXTRACT_NAMES } from "../../loaders/ingest/schema.js";
import { FULL_COVERAGE, MISSING_GAINS } from "../../src/lib/coverage.js";
import { csv, tempDir, type TempDir } from "./helpers.js";

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.remove());

const propose = (file: string) => proposeFile(sampleFile(file));

describe("coverage", () => {
  it("the bundled sample covers everything, as coverage.ts says of it", () => {
    const sample = path.resolve(import.meta.dirname, "../../data/sample");
    const proposals = EXTRACT_NAMES.filter((n) => existsSync(path.join(sample, `${n}.csv`))).map((n) =>
      propose(path.join(sample, `${n}.csv`)),
    );
    const coverage = predictCoverage(proposals);
    expect(coverage).toEqual(FULL_COVERAGE);
    expect(missingGains(coverage)).toEqual([]);
  });

  it("order lines with profit: transactional, margin from the lines, segments from the mapped columns", () => {
    const p = propose(
      tmp.write(
        "orders.csv",
        csv("Customer ID,Order Date,Sales,Profit,Segment,Region", "C1,2024-01-01,10,2,Consumer,West"),
      ),
    );
    const coverage = predictCoverage([p]);
    expect(coverage).toMatchObject({ shape: "transactional", contracts: false, invoices: true, margin: "line_cost" });
    expect(coverage.attributes).toEqual({
      industry: false,
      region: true,
      size: false,
      tier: true,
      channel: false,
      key_account: false,
    });
    expect(missingGains(coverage)).toEqual([
      MISSING_GAINS.contracts,
      MISSING_GAINS.marketing_spend,
      MISSING_GAINS.nps_responses,
      MISSING_GAINS.time_entries,
    ]);
    expect(pageSupport(coverage)).toContain("Cohort retention: repeat-purchase retention by acquisition cohort");
  });

  it("subscriptions only: no billed revenue and no margin, and the report says what each would add", () => {
    const p = propose(
      tmp.write("subs.csv", csv("Customer ID,Interval,Start Date,Amount", "C1,month,2024-01-01,49.00")),
    );
    const coverage = predictCoverage([p]);
    expect(coverage).toMatchObject({ shape: "subscription", contracts: true, invoices: false, margin: null });
    const text = renderReport([p], path.join(tmp.dir, "atlas.config.json"));
    expect(text).toContain(`  ${MISSING_GAINS.invoices}\n`);
    expect(text).toContain(`  ${MISSING_GAINS.cost}\n`);
    expect(text).not.toContain("Pareto / ABC");
    expect(text).toContain("Cohort retention: contract cohorts");
  });
});
