/**
 * Builds the site from the bundled sample once, before any test file runs, so that every
 * browser suite reads the same dist/ and no two Framework builds ever run at once (they
 * share src/.observablehq/cache). Suites get the folder with `inject("sampleDist")`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { runBuild } from "./build.js";

declare module "vitest" {
  export interface ProvidedContext {
    sampleDist: string;
  }
}

let dir: string | undefined;

export default function setup(project: TestProject) {
  // For a quick run of unit suites only: ATLAS_SKIP_SITE=1 npx vitest run test/metrics
  if (process.env.ATLAS_SKIP_SITE === "1") {
    project.provide("sampleDist", "");
    return;
  }
  dir = mkdtempSync(path.join(os.tmpdir(), "atlas-test-dist-"));
  const dist = path.join(dir, "dist");
  const started = performance.now();
  const run = runBuild(["--out", dist]);
  if (run.status !== 0)
    throw new Error(`building the sample site failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  process.stderr.write(
    `global setup: built the sample site in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  project.provide("sampleDist", dist);
  return () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
}
