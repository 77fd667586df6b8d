// The README's first command is `npm ci`: it refuses a lock file that is out of step with
// package.json, and one written on a single platform misses the other platforms' optional
// binaries (DuckDB's native bindings, rollup), so a macOS or Windows user gets no engine.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { version?: string }>;
};

describe("package-lock.json", () => {
  it("is accepted by npm ci (dry run on the committed lock)", () => {
    // --dry-run reads package.json and the lock and checks they agree; it installs nothing.
    const out = execFileSync("npm", ["ci", "--dry-run", "--ignore-scripts", "--no-audit", "--no-fund"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).not.toMatch(/npm error/);
  });

  it("lists DuckDB's native bindings for every platform users have", () => {
    for (const platform of ["darwin-arm64", "darwin-x64", "linux-x64", "linux-arm64", "win32-x64"]) {
      expect(lock.packages[`node_modules/@duckdb/node-bindings-${platform}`]?.version, platform).toBeTruthy();
    }
  });

  it("lists rollup's native binaries for macOS and Windows, not only this machine", () => {
    for (const name of ["darwin-arm64", "darwin-x64", "win32-x64-msvc", "linux-x64-gnu"]) {
      expect(lock.packages[`node_modules/@rollup/rollup-${name}`]?.version, name).toBeTruthy();
    }
  });
});
