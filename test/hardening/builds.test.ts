/**
 * Every test here runs real builds, so they live in one file and run one after another.
 *
 * - Publishing safely: the sample site built with --publish, with a fake database URL planted
 *   in the environment and in the config file, contains no account name, contact, e-mail or
 *   the secret in any file of dist/, and shows the same pseudonym for an account everywhere.
 * - Reproducible: a second build from the same extracts and config, into another store and
 *   output folder, gives a byte-identical dist/ (every file's SHA-256).
 * - Interrupted: a prepare killed mid-way leaves the previous store whole (or no store), and
 *   the next build trusts nothing half-written.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBuild } from "../support/build.js";
import { REPO } from "../support/fixtures.js";
import { escapedForms, files, grepFixed, personalStrings, SAMPLE } from "../support/scan.js";

const SECRET = "s3cr3t-token-7f2c9a";
const DATABASE_URL = `postgres://atlas:${SECRET}@db.internal.example:5432/crm`;
const work = mkdtempSync(path.join(os.tmpdir(), "atlas-hardening-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One hash over every file under src/ except Framework's cache. */
function sourceDigest(): string {
  const src = path.join(REPO, "src");
  const hash = createHash("sha256");
  for (const rel of files(src).filter((f) => !f.startsWith(".observablehq")))
    hash.update(`${rel}\0`).update(readFileSync(path.join(src, rel)));
  return hash.digest("hex");
}

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

function build(args: string[]): void {
  const started = performance.now();
  const run = runBuild(args);
  if (run.status !== 0)
    throw new Error(`build ${args.join(" ")} failed (exit ${run.status}):\n${run.stderr.slice(-4000)}`);
  process.stderr.write(
    `hardening: build ${args.filter((a) => a.startsWith("--")).join(" ")} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

describe("a published build of the sample (config publish mode off, --publish flag on)", () => {
  const config = path.join(work, "atlas.config.json");
  const distA = path.join(work, "dist-a");
  const distB = path.join(work, "dist-b");

  let sourcesBefore = "";
  beforeAll(() => {
    sourcesBefore = sourceDigest();
    // The sample's config plus comment keys (a leading $: read by nobody) holding a secret.
    const base = JSON.parse(readFileSync(path.join(REPO, "data", "atlas.config.json"), "utf8")) as Record<
      string,
      unknown
    >;
    writeFileSync(
      config,
      JSON.stringify({ ...base, sourceDir: SAMPLE, $databaseUrl: DATABASE_URL, $apiToken: SECRET }, null, 2),
    );
    process.env.ATLAS_DATABASE_URL = DATABASE_URL;
    process.env.ATLAS_API_TOKEN = SECRET;
    try {
      build(["--config", config, "--publish", "--store", path.join(work, "store-a"), "--out", distA]);
      build(["--config", config, "--publish", "--store", path.join(work, "store-b"), "--out", distB]);
    } finally {
      delete process.env.ATLAS_DATABASE_URL;
      delete process.env.ATLAS_API_TOKEN;
    }
  });

  it("contains no account name, contact, e-mail, phone, note or manager name in any file of dist/", () => {
    const needles = personalStrings();
    expect(needles.length).toBeGreaterThan(1000);
    const emails = needles.filter((n) => n.includes("@"));
    expect(emails.length).toBeGreaterThan(100);
    // As written, and as HTML or JSON would escape it.
    expect(grepFixed(escapedForms(needles), distA).slice(0, 20)).toEqual([]);
    // Any e-mail address at all (the sample's are all @….example).
    const emailRun = spawnSync("grep", ["-rEaol", "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.example", distA], {
      encoding: "utf8",
    });
    expect(emailRun.stdout.trim()).toBe("");
  });

  it("contains no secret from the environment or the config file", () => {
    expect(grepFixed([SECRET, "db.internal.example", "ATLAS_DATABASE_URL"], distA)).toEqual([]);
  });

  it("shows one stable pseudonym per account on every page's data", () => {
    const dataDir = path.join(distA, "_file", "data");
    const namesFile = readdirSync(dataDir).find((f) => f.startsWith("analyst-names.") && f.endsWith(".arrows"));
    expect(namesFile).toBeDefined();
    const names = tableFromIPC(readFileSync(path.join(dataDir, namesFile!)));
    const ids = names.getChild("account_id")!.toArray() as string[];
    const pseudonyms = names.getChild("account_name")!.toArray() as string[];
    expect(pseudonyms.every((n) => /^Account \d{4,}$/.test(n))).toBe(true);
    // Numbered in account-id order: the same extracts always give the same pseudonyms.
    const sorted = [...ids].sort();
    ids.forEach((id, i) => expect(pseudonyms[i]).toBe(`Account ${String(sorted.indexOf(id) + 1).padStart(4, "0")}`));
    const byId = new Map(ids.map((id, i) => [id, pseudonyms[i]]));
    const summaryFile = readdirSync(dataDir).find((f) => f.startsWith("analyst-summary.") && f.endsWith(".json"))!;
    const summary = JSON.parse(readFileSync(path.join(dataDir, summaryFile), "utf8")) as {
      first: { topAccounts: Array<{ account_id: string; account_name: string }> };
    };
    expect(summary.first.topAccounts.length).toBeGreaterThan(0);
    for (const a of summary.first.topAccounts) expect(a.account_name).toBe(byId.get(a.account_id));
    const qualityFile = readdirSync(dataDir).find((f) => f.startsWith("quality.") && f.endsWith(".json"))!;
    expect(JSON.parse(readFileSync(path.join(dataDir, qualityFile), "utf8")).publish).toEqual({
      pseudonymize: true,
      aggregateOnly: false,
      keepText: [],
    });
  });

  it("is byte-identical when built twice from the same extracts and config", () => {
    // A page or component edited while the two builds ran would differ for a good reason.
    expect(sourceDigest(), "src/ changed between the two builds (an edit in progress?)").toBe(sourcesBefore);
    const a = files(distA);
    expect(a.length).toBeGreaterThan(20);
    const b = files(distB);
    expect({ onlyInA: a.filter((f) => !b.includes(f)), onlyInB: b.filter((f) => !a.includes(f)) }).toEqual({
      onlyInA: [],
      onlyInB: [],
    });
    const differing = a.filter((rel) => sha256(path.join(distA, rel)) !== sha256(path.join(distB, rel)));
    expect(differing).toEqual([]);
  });
});

describe("an interrupted prepare", () => {
  /** Starts a prepare and kills it with SIGKILL once its temporary store folder has data in it. */
  async function killMidway(store: string): Promise<void> {
    // Its own process group: tsx runs the script in a child process, and the whole group dies.
    const child = spawn(
      process.execPath,
      [
        path.join(REPO, "node_modules", "tsx", "dist", "cli.mjs"),
        path.join(REPO, "scripts", "build.ts"),
        "--prepare-only",
        "--force",
        "--store",
        store,
      ],
      {
        cwd: REPO,
        env: { ...process.env, TZ: "UTC" },
        stdio: "ignore",
        detached: true,
      },
    );
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Kill 1.5 s after the temporary store folder appears (ingest under way), or after 20 s at most.
    const started = Date.now();
    let seen = 0;
    while (Date.now() - started < 20_000) {
      if (!seen && readdirSync(path.dirname(store)).some((f) => f.startsWith(`${path.basename(store)}.tmp-`)))
        seen = Date.now();
      if (seen && Date.now() - seen > 1500) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen, "the prepare started writing its temporary store").toBeGreaterThan(0);
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    // Nothing of the group may survive to finish the store behind our back.
    await new Promise((r) => setTimeout(r, 500));
  }

  it("leaves the previous store whole, and the next build reuses it or rebuilds — never a partial store", async () => {
    const store = path.join(work, "store-kill");
    cpSync(path.join(work, "store-a"), store, { recursive: true });
    const before = new Map(files(store).map((f) => [f, sha256(path.join(store, f))]));
    await killMidway(store);
    // The killed run's fingerprint differs (no publish mode): the old store is untouched.
    expect(new Map(files(store).map((f) => [f, sha256(path.join(store, f))]))).toEqual(before);
    rmSync(store, { recursive: true, force: true });
    await killMidway(store);
    expect(existsSync(store), "no store at all rather than a partial one").toBe(false);
    const run = runBuild(["--prepare-only", "--store", store]);
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    expect(run.stderr).toMatch(/data prepared/);
    expect(existsSync(path.join(store, "fingerprint.json"))).toBe(true);
    // The killed runs' temporary folders are gone.
    expect(readdirSync(work).filter((f) => f.startsWith("store-kill.tmp-"))).toEqual([]);
    expect(statSync(store).isDirectory()).toBe(true);
  });
});
