import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseSampleArgs } from "../../loaders/sample/args.js";
import { FILES, generateTo, removeDir } from "./helpers.js";

const dirs: string[] = [];
const run = (seed: number) => {
  const dir = generateTo({ accounts: 60, years: 2, seed });
  dirs.push(dir);
  return dir;
};
const hashes = (dir: string) =>
  Object.fromEntries(
    FILES.map((f) => [
      f,
      createHash("sha256")
        .update(readFileSync(join(dir, f)))
        .digest("hex"),
    ]),
  );

afterAll(() => dirs.forEach(removeDir));

describe("the sample generator", () => {
  it("writes byte-identical files when run twice with the same seed", () => {
    expect(hashes(run(42))).toEqual(hashes(run(42)));
  });

  it("writes different files for a different seed", () => {
    const a = hashes(run(42));
    const b = hashes(run(43));
    for (const f of ["accounts.csv", "contracts.csv", "invoices.csv", "invoice_lines.csv", "marketing_spend.csv"])
      expect(b[f]).not.toBe(a[f]);
  });

  it("reproduces the committed data/sample exactly with the default arguments", () => {
    const dir = generateTo({ accounts: 1500, years: 6, seed: 42, asOf: "2026-09-30" });
    dirs.push(dir);
    expect(hashes(fileURLToPath(new URL("../../data/sample", import.meta.url)))).toEqual(hashes(dir));
  });

  it("leaves exactly the nine extracts in the output folder, no partial files", () => {
    expect(readdirSync(run(7)).sort()).toEqual([...FILES].sort());
  });
});

describe("the sample command line", () => {
  it("defaults to 1500 accounts over 6 years to 2026-09-30 with seed 42 into data/sample", () => {
    expect(parseSampleArgs([])).toEqual({ accounts: 1500, years: 6, seed: 42, asOf: "2026-09-30", out: "data/sample" });
  });

  it("accepts flags with a space or an equals sign", () => {
    expect(
      parseSampleArgs(["--accounts", "100000", "--years=3", "--seed", "7", "--as-of=2025-12-31", "--out", "/tmp/x"]),
    ).toEqual({
      accounts: 100000,
      years: 3,
      seed: 7,
      asOf: "2025-12-31",
      out: "/tmp/x",
    });
  });

  it("rejects unknown flags, non-integers and impossible dates", () => {
    expect(() => parseSampleArgs(["--acounts", "5"])).toThrow(/unknown option/i);
    expect(() => parseSampleArgs(["--accounts", "1.5"])).toThrow(/integer/);
    expect(() => parseSampleArgs(["--as-of", "2026-02-30"])).toThrow(/date/);
    expect(() => parseSampleArgs(["--seed"])).toThrow(/argument missing/);
  });
});
