/**
 * scripts/init.ts, the `npm run init` command: writes the config beside the first file (or to
 * --out), never over an existing one without --force, prints the report, and exits 2 with a
 * message naming the file on every problem.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MISSING_GAINS } from "../../src/lib/coverage.js";
import { csv, tempDir, type TempDir } from "./helpers.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function init(...args: string[]) {
  const r = spawnSync(TSX, [path.join(ROOT, "scripts", "init.ts"), ...args], { encoding: "utf8", cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tmp: TempDir;
let orders: string;
beforeAll(() => {
  tmp = tempDir();
  orders = tmp.write(
    "orders.csv",
    csv(
      "Order ID,Order Date,Customer ID,Customer Name,Product ID,Sales,Profit",
      "O1,13/01/2024,C1,Acme,P1,10.5,2.25",
      "O2,14/01/2024,,Beta,P2,3.0576,-1",
    ),
  );
});
afterAll(() => tmp.remove());

describe("npm run init", () => {
  it("writes the config beside the first file and prints the report and the next command", () => {
    const r = init(orders);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const configPath = path.join(tmp.dir, "atlas.config.json");
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    expect(config.sourceDir).toBe(".");
    expect(config.format).toEqual({
      dateFormat: "%d/%m/%Y",
      decimalSeparator: ".",
      delimiter: ",",
      encoding: "utf-8",
      moneyDecimals: 4,
    });
    expect(config.extracts.transactions).toEqual({
      file: "orders.csv",
      columns: {
        account_id: "Customer ID",
        account_name: "Customer Name",
        date: "Order Date",
        order_id: "Order ID",
        product_id: "Product ID",
        amount: "Sales",
        profit: "Profit",
      },
    });
    expect(config.$comments["format.dateFormat"]).toBe(
      "orders.csv, Order Date: day-first: 2 of 2 dates have a first field above 12",
    );
    expect(r.stdout).toContain("orders.csv → transactions (all 2 rows read)");
    expect(r.stdout).toContain(
      "note: 1 of the sampled rows have no customer id (Customer ID is empty): they will be reported, not valued",
    );
    expect(r.stdout).toContain("unmapped: none");
    for (const gain of [
      MISSING_GAINS.contracts,
      MISSING_GAINS.marketing_spend,
      MISSING_GAINS.nps_responses,
      MISSING_GAINS.time_entries,
    ])
      expect(r.stdout).toContain(gain);
    // Profit is mapped: margin comes from the lines, so the cost gain is not offered.
    expect(r.stdout).not.toContain(MISSING_GAINS.cost);
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/Next: npm run build -- --config .*atlas\.config\.json$/);
  });

  it("refuses to overwrite an existing config unless --force", () => {
    const out = path.join(tmp.dir, "mine.json");
    writeFileSync(out, "{}\n");
    const refused = init(orders, "--out", out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /mine\.json already exists: pass --force to overwrite it, or --out to write elsewhere/,
    );
    expect(readFileSync(out, "utf8")).toBe("{}\n");
    const forced = init(orders, "--out", out, "--force");
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(out, "utf8")).extracts.transactions.file).toBe("orders.csv");
  });

  it("writes --out elsewhere with sourceDir relative to it, and says when the folder does not exist", () => {
    mkdirSync(path.join(tmp.dir, "conf"));
    const out = path.join(tmp.dir, "conf", "atlas.json");
    expect(init(orders, "--out", out).code).toBe(0);
    const config = JSON.parse(readFileSync(out, "utf8"));
    expect(config.sourceDir).toBe("..");
    expect(path.resolve(path.dirname(out), config.sourceDir, config.extracts.transactions.file)).toBe(orders);
    const nowhere = init(orders, "--out", path.join(tmp.dir, "no", "such", "atlas.json"));
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/^init: .*no\/such\/atlas\.json: cannot write the configuration: ENOENT/);
  });

  it("exits 2 naming the file when it cannot be read", () => {
    const r = init(path.join(tmp.dir, "missing.csv"), "--out", path.join(tmp.dir, "m.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^init: .*missing\.csv: cannot read the file/);
    expect(existsSync(path.join(tmp.dir, "m.json"))).toBe(false);
  });

  it("exits 2 naming the headers seen when no customer column is found", () => {
    const file = tmp.write("regions.csv", csv("Region,Order Date,Sales", "West,2024-01-01,10"));
    const r = init(file, "--out", path.join(tmp.dir, "r.json"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/regions\.csv: no customer column found; .*Headers seen: Region, Order Date, Sales/);
  });

  it("exits 2 with the usage when no file is named, and on an unknown option", () => {
    expect(init().code).toBe(2);
    expect(init().stderr).toContain("usage: npm run init -- FILE... [--out CONFIG] [--force]");
    const unknown = init(orders, "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^init: Unknown option '--bogus'/);
  });
});
