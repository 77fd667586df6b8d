/** Temporary copies of fixture CRMs that a test may break on purpose. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export const REPO = path.resolve(import.meta.dirname, "../..");
export const TINY = path.join(REPO, "test", "fixtures", "crm-tiny");

/** A fresh copy of a fixture folder; returns its path. */
export function copyFixture(source = TINY): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-fixture-"));
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** Appends raw text (lines without the trailing newline handled by the caller) to a file. */
export function appendRaw(file: string, text: string): void {
  writeFileSync(file, readFileSync(file, "utf8") + text);
}

/** Writes an atlas.config.json into `dir` (sourceDir "."), merged over the defaults. */
export function writeConfig(dir: string, config: Record<string, unknown> = {}): string {
  const file = path.join(dir, "atlas.config.json");
  writeFileSync(file, JSON.stringify({ sourceDir: ".", asOf: "2024-12-31", currency: "USD", ...config }, null, 2));
  return file;
}

/**
 * Data lines of a CSV counted independently of the loaders: records, honouring quoted
 * newlines. A quote opens a quoted field only as a field's first character (`Bob "the
 * Builder` is text), as RFC 4180 and the reader have it.
 */
export function countCsvRecords(text: string, delimiter = ","): number {
  let records = 0;
  let quoted = false;
  let fieldStart = true;
  let empty = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') i++;
      else if (ch === '"') quoted = false;
      continue;
    }
    if (ch === '"' && fieldStart) {
      quoted = true;
      empty = false;
      fieldStart = false;
    } else if (ch === "\n") {
      if (!empty) records++;
      empty = true;
      fieldStart = true;
    } else if (ch !== "\r") {
      empty = false;
      fieldStart = ch === delimiter;
    }
  }
  if (!empty) records++;
  return records - 1; // header
}
