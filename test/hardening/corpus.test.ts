/**
 * The malformed-extract corpus (test/fixtures/corpus/cases.json): every case either stops the
 * build with one message naming file, line and column, or ends with exactly the quarantined
 * rows it lists — and in every case nothing is lost (accepted + quarantined = rows read =
 * records in the file, counted here independently) and money reconciles to the cent. The
 * derived tables are built too, so a value that passes validation but overflows later fails here.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../loaders/config.js";
import { openDb } from "../../loaders/db.js";
import { buildDerivedTables } from "../../loaders/derive/tables.js";
import { AtlasError } from "../../loaders/errors.js";
import { ingest } from "../../loaders/ingest/index.js";
import { escapeCsvCell } from "../../src/lib/csv.js";
import { copyFixture, countCsvRecords, REPO } from "../support/fixtures.js";

interface FileEdit {
  extract: string;
  append?: string;
  replace?: string;
  encoding?: "utf8" | "latin1" | "utf16le" | "utf16be";
}
interface Expected {
  error?: string;
  quarantined?: Array<{ extract: string; line: number; code: string; column: string | null }>;
  accepted?: Record<string, number>;
  values?: Array<{
    extract: string;
    line: number;
    column: string;
    equals?: string;
    length?: number;
    csvEscaped?: boolean;
  }>;
  money?: Record<string, string>;
  ignoredHeaders?: Record<string, string[]>;
  /** How many headers an extract ignores (for headers too wide to list). */
  ignoredHeaderCount?: Record<string, number>;
  /** Id and text cells whose surrounding white space was removed, per extract. */
  trimmedCells?: Record<string, number>;
  /** A quarantined row's stored text and message: `raw` starts with, `message` matches, `raw` at most `maxLength`. */
  raw?: Array<{ extract: string; line: number; startsWith?: string; message?: string; maxLength?: number }>;
}
interface Case {
  name: string;
  about: string;
  files: FileEdit[];
  config?: Record<string, unknown>;
  big?: { marker: string; char: string; times: number };
  expect: Expected;
}

const CORPUS = path.join(REPO, "test", "fixtures", "corpus", "cases.json");
const { cases } = JSON.parse(readFileSync(CORPUS, "utf8")) as { cases: Case[] };
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes the case's extracts into a fresh copy of crm-tiny; returns the folder and each edited file's text. */
function materialize(c: Case): { dir: string; texts: Map<string, string>; configPath: string } {
  const dir = copyFixture();
  made.push(dir);
  const texts = new Map<string, string>();
  for (const edit of c.files) {
    const file = path.join(dir, `${edit.extract}.csv`);
    let text = edit.replace ?? readFileSync(file, "utf8") + (edit.append ?? "");
    if (c.big) text = text.replaceAll(c.big.marker, c.big.char.repeat(c.big.times));
    if (edit.append !== undefined && edit.encoding && edit.encoding !== "utf8") {
      writeFileSync(
        file,
        Buffer.concat([readFileSync(file), encode(text.slice(readFileSync(file, "utf8").length), edit.encoding)]),
      );
    } else writeFileSync(file, encode(text, edit.encoding ?? "utf8"));
    texts.set(edit.extract, text);
  }
  const base = JSON.parse(readFileSync(path.join(dir, "atlas.config.json"), "utf8")) as Record<string, unknown>;
  const configPath = path.join(dir, "atlas.config.json");
  writeFileSync(configPath, JSON.stringify({ ...base, ...c.config }, null, 2));
  return { dir, texts, configPath };
}

function encode(text: string, encoding: NonNullable<FileEdit["encoding"]>): Buffer {
  return encoding === "utf16be" ? Buffer.from(text, "utf16le").swap16() : Buffer.from(text, encoding);
}

describe(`the malformed-extract corpus (${cases.length} cases)`, () => {
  it("has at least 80 cases with unique names", () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const c of cases) {
    const outcome = c.expect.error ? "stops the build" : `quarantines ${c.expect.quarantined?.length ?? 0} row(s)`;
    it(`${c.name}: ${c.about} — ${outcome}`, async () => {
      const { dir, texts, configPath } = materialize(c);
      // Two threads: the files are tiny, and the machine runs other suites at the same time.
      const db = await openDb({ threads: 2 });
      try {
        let report;
        try {
          report = await ingest(db, loadConfig(configPath));
          await buildDerivedTables(db, report.asOf);
        } catch (error) {
          if (!c.expect.error) throw error;
          expect(error).toBeInstanceOf(AtlasError);
          expect((error as Error).message).toMatch(new RegExp(c.expect.error));
          expect((error as Error).message.split("\n")).toHaveLength(1);
          return;
        }
        expect(c.expect.error, "the build should have stopped").toBeUndefined();

        const quarantine = (
          await db.all<{ extract: string; line: string; code: string; column_name: string | null }>(
            "SELECT extract, line, code, column_name FROM quarantine ORDER BY extract, line",
          )
        ).map((q) => ({ extract: q.extract, line: Number(q.line), code: q.code, column: q.column_name }));
        const order = (
          a: { extract: string; line: number; code: string },
          b: { extract: string; line: number; code: string },
        ) => a.extract.localeCompare(b.extract) || a.line - b.line || a.code.localeCompare(b.code);
        expect(quarantine.sort(order)).toEqual([...(c.expect.quarantined ?? [])].sort(order));

        for (const e of report.extracts.filter((x) => x.provided)) {
          expect(e.accepted + e.quarantined, `${e.extract}: accepted + quarantined = rows read`).toBe(e.rowsRead);
          const text = texts.get(e.extract) ?? readFileSync(path.join(dir, `${e.extract}.csv`), "utf8");
          const delimiter = (c.config?.extracts as Record<string, { format?: { delimiter?: string } }> | undefined)?.[
            e.extract
          ]?.format?.delimiter;
          if (
            !c.files.some((f) => f.extract === e.extract && /unterminated|"Open/.test(f.append ?? "")) &&
            delimiter === undefined
          ) {
            expect(e.rowsRead, `${e.extract}: rows read = records in the file`).toBe(
              countCsvRecords(text.replace(/^\uFEFF/, "")),
            );
          }
          if (e.money) expect(e.money.balanced, `${e.extract}: money reconciles`).toBe(true);
          for (const reason of e.reasons)
            for (const example of reason.examples) expect(example.raw.length).toBeLessThanOrEqual(400);
        }
        for (const [name, n] of Object.entries(c.expect.accepted ?? {}))
          expect(report.extracts.find((e) => e.extract === name)?.accepted, `${name} accepted`).toBe(n);
        for (const [name, total] of Object.entries(c.expect.money ?? {}))
          expect(report.extracts.find((e) => e.extract === name)?.money?.sourceTotal).toBe(total);
        for (const [name, headers] of Object.entries(c.expect.ignoredHeaders ?? {}))
          expect(report.extracts.find((e) => e.extract === name)?.ignoredHeaders).toEqual(headers);
        for (const [name, n] of Object.entries(c.expect.ignoredHeaderCount ?? {}))
          expect(report.extracts.find((e) => e.extract === name)?.ignoredHeaders.length, `${name} ignored`).toBe(n);
        for (const [name, n] of Object.entries(c.expect.trimmedCells ?? {}))
          expect(report.extracts.find((e) => e.extract === name)?.trimmedCells, `${name} trimmed`).toBe(n);
        for (const r of c.expect.raw ?? []) {
          const [row] = await db.all<{ raw: string; message: string }>(
            "SELECT raw, message FROM quarantine WHERE extract = $extract AND line = $line",
            { extract: r.extract, line: r.line },
          );
          expect(row, `${r.extract} line ${r.line} quarantined`).toBeDefined();
          const stored = JSON.parse(row.raw) as { text?: string };
          const text = stored.text ?? row.raw;
          if (r.startsWith !== undefined) expect(text.startsWith(r.startsWith), text.slice(0, 80)).toBe(true);
          if (r.maxLength !== undefined) expect(text.length).toBeLessThanOrEqual(r.maxLength);
          if (r.message !== undefined) expect(row.message).toMatch(new RegExp(r.message));
        }
        for (const v of c.expect.values ?? []) {
          const rows = await db.all<{ value: string }>(
            `SELECT CAST("${v.column}" AS VARCHAR) AS value FROM accepted_${v.extract} WHERE line = $line`,
            { line: v.line },
          );
          expect(rows, `${v.extract} line ${v.line} accepted`).toHaveLength(1);
          if (v.equals !== undefined) expect(rows[0].value).toBe(v.equals);
          if (v.length !== undefined) expect(rows[0].value.length).toBe(v.length);
          // A spreadsheet must never run it: the export prefixes an apostrophe.
          if (v.csvEscaped) expect(escapeCsvCell(rows[0].value)).toMatch(/^"?'/);
        }
      } finally {
        db.close();
      }
    });
  }
});
