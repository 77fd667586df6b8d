/**
 * Publish mode at the store level (loaders/derive/publish.ts), on the tiny fixture with
 * personal data planted where it is easiest to leak: a quarantined duplicate account (its raw
 * row holds a name and an e-mail), a ragged account row, a quarantined NPS answer with a
 * comment. Every table of the published store is read back through DuckDB (Parquet pages are
 * compressed, so a byte scan would prove nothing) and searched. The full-site scan is in
 * builds.test.ts.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, describe, expect, it } from "vitest";
import { literal, openDb } from "../../loaders/db.js";
import { buildQuality } from "../../loaders/outputs/quality.js";
import { buildQuarantineArrow } from "../../loaders/outputs/quarantine.js";
import { prepare } from "../../loaders/pipeline.js";
import { appendRaw, copyFixture, writeConfig } from "../support/fixtures.js";

const PLANTED = ["Secret Person Corp", "leak@secret.example", "Ragged Secretname", "Jane Roe", "Acme, Inc.", "ann@acme.example", "Kim Park", "Likes \"\"quarterly\"\"", "+1 555 0101"];
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function fixture(): { dir: string; config: string } {
  const dir = copyFixture();
  made.push(dir);
  appendRaw(path.join(dir, "accounts.csv"), "A1,Secret Person Corp,Retail,5,1,EMEA,,transactional,Partner,2024-01-01,Kim Park,Jo Doe,leak@secret.example,+1 555 0199,private note\nA9,Ragged Secretname Ltd,Retail\n");
  appendRaw(path.join(dir, "nps_responses.csv"), "N9,A1,2099-01-01,3,Call me at +1 555 0199 - Jane Roe\n");
  return { dir, config: writeConfig(dir) };
}

/** Every row of every Parquet file and the JSON files of a store, as one string. */
async function storeText(store: string): Promise<string> {
  const db = await openDb();
  try {
    const parts: string[] = [];
    for (const file of readdirSync(store)) {
      const full = path.join(store, file);
      if (file.endsWith(".parquet")) parts.push(JSON.stringify(await db.all(`SELECT * FROM read_parquet(${literal(full)})`)));
      else parts.push(readFileSync(full, "utf8"));
    }
    return parts.join("\n");
  } finally {
    db.close();
  }
}

describe("a store prepared in publish mode", () => {
  it("holds no planted name, e-mail, phone, note or comment anywhere, and pseudonyms instead", async () => {
    const { dir, config } = fixture();
    const store = path.join(dir, "store-published");
    const result = await prepare({ configPath: config, storeDir: store, quiet: true, publish: { pseudonymize: true } });
    const text = await storeText(store);
    for (const needle of PLANTED) expect(text.includes(needle) || text.includes(JSON.stringify(needle).slice(1, -1)), needle).toBe(false);
    expect(text).toContain("Account 0001");
    expect(text).toContain("(withheld in a published build)");
    const quality = buildQuality(store);
    expect(quality.publish).toEqual({ pseudonymize: true, aggregateOnly: false });
    const duplicate = quality.extracts.find((e) => e.extract === "accounts")!.reasons.find((r) => r.code === "duplicate_key")!;
    expect(JSON.parse(duplicate.examples[0].raw)).toMatchObject({ account_id: "A1", account_name: "Account 0001" });

    // The same data in private mode: another fingerprint, and the names are there.
    const privateStore = path.join(dir, "store-private");
    const privateResult = await prepare({ configPath: config, storeDir: privateStore, quiet: true });
    expect(privateResult.hash).not.toBe(result.hash);
    expect(await storeText(privateStore)).toContain("leak@secret.example");
  });

  it("in aggregate-only mode ships no quarantined row and no example", async () => {
    const { dir, config } = fixture();
    const store = path.join(dir, "store-aggregate");
    await prepare({ configPath: config, storeDir: store, quiet: true, publish: { aggregateOnly: true } });
    const quality = buildQuality(store);
    expect(quality.publish).toEqual({ pseudonymize: true, aggregateOnly: true });
    expect(quality.extracts.flatMap((e) => e.reasons.flatMap((r) => r.examples))).toEqual([]);
    expect(quality.extracts.reduce((n, e) => n + e.quarantined, 0)).toBeGreaterThan(0);
    expect(tableFromIPC(await buildQuarantineArrow(store)).numRows).toBe(0);
  });
});
