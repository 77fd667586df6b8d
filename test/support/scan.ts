/**
 * Scanning a built site for what must not be in it: every file under a folder, binary files
 * included, searched for thousands of fixed strings at once (GNU grep -F), and the strings of
 * the bundled sample that identify a person or an account.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCsvRecord } from "../../loaders/ingest/read.js";
import { REPO } from "./fixtures.js";

export const SAMPLE = path.join(REPO, "data", "sample");

/** Every file under `dir`, relative, sorted. */
export function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out.push(rel);
    }
  };
  walk("");
  return out.sort();
}

/** Every occurrence of any of `needles` in any file under `dir`, binary files included, as "file: match". */
export function grepFixed(needles: readonly string[], dir: string): string[] {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "atlas-needles-"));
  try {
    const list = path.join(tmp, "needles.txt");
    writeFileSync(list, `${needles.join("\n")}\n`);
    const run = spawnSync("grep", ["-rFao", "-f", list, dir], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (run.status === 2) throw new Error(`grep failed: ${run.stderr}`);
    return run.stdout
      .split("\n")
      .filter(Boolean)
      .map((l) => path.relative(dir, l));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Files under `dir` with a match for an extended regular expression (grep -E). */
export function grepPattern(pattern: string, dir: string): string[] {
  const run = spawnSync("grep", ["-rEaol", pattern, dir], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status === 2) throw new Error(`grep failed: ${run.stderr}`);
  return run.stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => path.relative(dir, l));
}

/** Each string as written, and as HTML or JSON would escape it. */
export function escapedForms(needles: readonly string[]): string[] {
  return [...new Set(needles.flatMap((n) => [n, n.replaceAll("&", "&amp;"), JSON.stringify(n).slice(1, -1)]))];
}

/** Values of the sample's accounts.csv in `columns`, `minLength` characters or more. */
function accountValues(columns: readonly string[], minLength: number): string[] {
  const lines = readFileSync(path.join(SAMPLE, "accounts.csv"), "utf8").trim().split("\n");
  const header = parseCsvRecord(lines[0], ",");
  const wanted = columns.map((c) => header.indexOf(c));
  const out = new Set<string>();
  for (const line of lines.slice(1)) {
    const record = parseCsvRecord(line, ",");
    for (const i of wanted) if (record[i] && record[i].length >= minLength) out.add(record[i]);
  }
  return [...out];
}

/** The personal strings of the sample: account names, contact names, e-mails, phones, notes, manager names (8+ characters). */
export function personalStrings(): string[] {
  return accountValues(
    ["account_name", "contact_name", "contact_email", "contact_phone", "notes", "key_account_manager"],
    8,
  );
}

/** Every account id of the sample. */
export function accountIds(): string[] {
  return accountValues(["account_id"], 1);
}
