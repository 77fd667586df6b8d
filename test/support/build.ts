/** Runs the real build command (`scripts/build.ts`) in a child process, as a user would. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { REPO } from "./fixtures.js";

export interface BuildRun {
  readonly status: number | null;
  readonly stderr: string;
  readonly stdout: string;
}

export function runBuild(args: string[]): BuildRun {
  const result = spawnSync(
    process.execPath,
    [path.join(REPO, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO, "scripts", "build.ts"), ...args],
    {
      cwd: REPO,
      env: { ...process.env, OBSERVABLE_TELEMETRY_DISABLE: "true", TZ: "UTC" },
      encoding: "utf8",
      maxBuffer: 64 << 20,
    },
  );
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}
