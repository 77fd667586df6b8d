/**
 * Ingest on hand-made extracts: every malformed-input class either stops the build with one
 * message naming file, line and column, or quarantines the row with a named reason — and
 * accepted + quarantined always equals the rows in the file (counted here independently).
 */
import { readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import Decimal from "decimal.js";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../loaders/config.js";
import { openDb } from "../../loaders/db.js";
import { AtlasError } from "../../loaders/errors.js";
import { ingest, type IngestReport } from "../../loaders/ingest/index.js";
import { appendRaw, copyFixture, countCsvRecords, writeConfig } from "../support/fixtures.js";

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fixture(): string {
  const dir = copyFixture();
  made.push(dir);
  return dir;
}

async function run(dir: string, config: Record<string, unknown> = {}) {
  const db = await openDb();
  try {
    const report = await ingest(db, loadConfig(writeConfig(dir, config)));
    const quarantine = await db.all<{
      extract: string;
      line: string;
      code: string;
      column_name: string | null;
      message: string;
      codes: string[];
    }>("SELECT extract, line, code, column_name, message, codes FROM quarantine ORDER BY extract, line");
    return { report, quarantine: quarantine.map((q) => ({ ...q, line: Number(q.line) })) };
  } finally {
    db.close();
  }
}

async function structuralMessage(dir: string, config: Record<string, unknown> = {}): Promise<string> {
  try {
    await run(dir, config);
  } catch (error) {
    expect(error).toBeInstanceOf(AtlasError);
    return (error as Error).message;
  }
  throw new Error("expected the build to stop");
}

function extract(report: IngestReport, name: string) {
  const e = report.extracts.find((x) => x.extract === name);
  if (!e) throw new Error(`no report for ${name}`);
  return e;
}

/** Every extract: rows read = records in the file; accepted + quarantined = rows read. */
function expectNothingLost(dir: string, report: IngestReport) {
  for (const e of report.extracts.filter((x) => x.provided)) {
    const records = countCsvRecords(readFileSync(path.join(dir, `${e.extract}.csv`), "utf8"));
    expect(e.rowsRead, `${e.extract} rows read`).toBe(records);
    expect(e.accepted + e.quarantined, `${e.extract} accepted + quarantined`).toBe(records);
  }
}

describe("a clean extract set", () => {
  it("is accepted whole, with every money column reconciled to the cent", async () => {
    const dir = fixture();
    const { report, quarantine } = await run(dir);
    expect(quarantine).toEqual([]);
    expectNothingLost(dir, report);
    expect(extract(report, "invoice_lines").money).toMatchObject({
      sourceTotal: "29250.00",
      acceptedTotal: "29250.00",
      quarantinedTotal: "0.00",
      balanced: true,
    });
    expect(report.asOf).toBe("2024-12-31");
  });

  it("takes the as-of date from the latest invoice when the config has none", async () => {
    const dir = fixture();
    const { report } = await run(dir, { asOf: null });
    expect(report).toMatchObject({ asOf: "2024-09-01", asOfSource: "data" });
  });
});

describe("structural problems stop the build with file, line and column", () => {
  it("names a configured extract whose file is missing", async () => {
    const dir = fixture();
    unlinkSync(path.join(dir, "contracts.csv"));
    expect(await structuralMessage(dir, { extracts: { contracts: { file: "contracts.csv" } } })).toMatch(
      /contracts\.csv: the contracts extract is missing/,
    );
  });

  it("treats an extract neither configured nor present as not provided: empty, never an error", async () => {
    const dir = fixture();
    unlinkSync(path.join(dir, "nps_responses.csv"));
    const { report } = await run(dir);
    expect(extract(report, "nps_responses")).toMatchObject({
      provided: false,
      derivedFrom: null,
      rowsRead: 0,
      accepted: 0,
    });
    expect(report.coverage.nps).toBe(false);
    expect(report.coverage.spend).toBe(true);
  });

  it("names a missing required column and the header it found", async () => {
    const dir = fixture();
    const file = path.join(dir, "accounts.csv");
    writeFileSync(file, readFileSync(file, "utf8").replace("acquired_on,", "acquisition_date,"));
    expect(await structuralMessage(dir)).toMatch(
      /accounts\.csv, line 1, column "acquired_on": required column "acquired_on" is not in the header; found: account_id,/,
    );
  });

  it("names the mapped header when a configured mapping points at a missing column", async () => {
    const dir = fixture();
    const message = await structuralMessage(dir, {
      extracts: { accounts: { columns: { account_name: "Account Name" } } },
    });
    expect(message).toMatch(
      /accounts\.csv, line 1, column "account_name": required column "account_name" \(mapped from "Account Name"\)/,
    );
  });

  it("stops on an empty file", async () => {
    const dir = fixture();
    writeFileSync(path.join(dir, "nps_responses.csv"), "");
    expect(await structuralMessage(dir)).toMatch(/nps_responses\.csv, line 1: the file is empty/);
  });

  it("stops on text that is not in the configured encoding, naming the line", async () => {
    const dir = fixture();
    const file = path.join(dir, "accounts.csv");
    writeFileSync(
      file,
      Buffer.concat([
        readFileSync(file),
        Buffer.from("A6,M\xfcller AG,Retail,5,1,EMEA,,transactional,Partner,2024-01-01,,,,,\n", "latin1"),
      ]),
    );
    expect(await structuralMessage(dir)).toMatch(
      /accounts\.csv, line 7: text is not valid utf-8; set extracts\.accounts\.format\.encoding/,
    );
  });

  it("reads the same Windows-1252 file once the encoding is configured", async () => {
    const dir = fixture();
    const file = path.join(dir, "accounts.csv");
    writeFileSync(
      file,
      Buffer.concat([
        readFileSync(file),
        Buffer.from("A6,M\xfcller AG,Retail,5,1,EMEA,,transactional,Partner,2024-01-01,,,,,\n", "latin1"),
      ]),
    );
    const { report } = await run(dir, { extracts: { accounts: { format: { encoding: "windows-1252" } } } });
    expect(extract(report, "accounts").accepted).toBe(6);
  });

  it("stops when no date in a column matches the configured format", async () => {
    const dir = fixture();
    const message = await structuralMessage(dir, { format: { dateFormat: "%d/%m/%Y" } });
    expect(message).toMatch(
      /products\.csv, line 2, column "launched_on": no date in this column matches the configured format %d\/%m\/%Y \(first value "2020-01-01"\)/,
    );
  });

  it("rejects a configuration that maps an unknown column", async () => {
    const dir = fixture();
    const message = await structuralMessage(dir, { extracts: { accounts: { columns: { revenue: "Revenue" } } } });
    expect(message).toMatch(/"extracts\.accounts\.columns\.revenue" is not a column of accounts/);
  });
});

describe("row-level problems quarantine the row with a reason", () => {
  const cases: Array<{
    name: string;
    file: string;
    append: string;
    line: number;
    code: string;
    column: string | null;
    message?: RegExp;
  }> = [
    {
      name: "a duplicate id",
      file: "accounts.csv",
      append: "A1,Again,Retail,5,1,EMEA,,transactional,Partner,2024-01-01,,,,,\n",
      line: 7,
      code: "duplicate_key",
      column: "account_id",
      message: /first seen on line 2/,
    },
    {
      name: "an orphan reference",
      file: "invoices.csv",
      append: "I11,A99,2024-01-01,USD,invoice\n",
      line: 12,
      code: "orphan_reference",
      column: "account_id",
      message: /"A99" not found among accepted accounts/,
    },
    {
      name: "an impossible date",
      file: "nps_responses.csv",
      append: "N5,A1,2024-02-30,8,\n",
      line: 6,
      code: "invalid_date",
      column: "responded_on",
    },
    {
      name: "a date after the as-of date",
      file: "time_entries.csv",
      append: "T4,A1,2025-01-02,Account Manager,1,\n",
      line: 5,
      code: "future_date",
      column: "work_date",
    },
    {
      name: "a date before 1990",
      file: "accounts.csv",
      append: "A6,Old Co,Retail,5,1,EMEA,,transactional,Partner,1899-12-31,,,,,\n",
      line: 7,
      code: "date_out_of_range",
      column: "acquired_on",
    },
    {
      name: "another currency",
      file: "contracts.csv",
      append: "C7,A3,P-PRO,monthly,2024-01-01,,1,55.00,EUR,new\n",
      line: 8,
      code: "currency_mismatch",
      column: "currency",
    },
    {
      name: "a negative amount on an invoice",
      file: "invoice_lines.csv",
      append: "I01,2,P-PRO,-1,55.00,-55.00,subscription\n",
      line: 14,
      code: "sign_rule",
      column: "amount",
    },
    {
      name: "a positive amount on a credit note",
      file: "invoice_lines.csv",
      append: "I10,2,X-WIDGET,1,100.00,100.00,product\n",
      line: 14,
      code: "sign_rule",
      column: "amount",
    },
    {
      name: "an amount that is not quantity × unit price",
      file: "invoice_lines.csv",
      append: "I05,2,X-WIDGET,3,100.00,250.00,product\n",
      line: 14,
      code: "amount_mismatch",
      column: "amount",
    },
    {
      name: "a currency symbol in an amount",
      file: "invoice_lines.csv",
      append: "I05,2,X-WIDGET,1,100.00,$100.00,product\n",
      line: 14,
      code: "invalid_money",
      column: "amount",
    },
    {
      name: "a third decimal in an amount",
      file: "invoice_lines.csv",
      append: "I05,2,X-WIDGET,1,100.00,100.001,product\n",
      line: 14,
      code: "invalid_money",
      column: "amount",
    },
    {
      name: "a missing required value",
      file: "time_entries.csv",
      append: "T4,,2024-01-02,Account Manager,1,\n",
      line: 5,
      code: "missing_value",
      column: "account_id",
    },
    {
      name: "a null spelling in a number",
      file: "time_entries.csv",
      append: "T4,A1,2024-01-02,Account Manager,NaN,\n",
      line: 5,
      code: "missing_value",
      column: "hours",
    },
    {
      name: "an NPS score above 10",
      file: "nps_responses.csv",
      append: "N5,A1,2024-02-01,11,\n",
      line: 6,
      code: "out_of_range",
      column: "score",
    },
    {
      name: "an unknown enum value",
      file: "invoices.csv",
      append: "I11,A1,2024-01-01,USD,quote\n",
      line: 12,
      code: "invalid_enum",
      column: "document_type",
    },
    {
      name: "a ragged row",
      file: "role_rates.csv",
      append: "Consultant,90.00\n",
      line: 4,
      code: "ragged_row",
      column: null,
    },
    {
      name: "a control character in a name",
      file: "accounts.csv",
      append: "A6,Bad\u0007Name,Retail,5,1,EMEA,,transactional,Partner,2024-01-01,,,,,\n",
      line: 7,
      code: "control_character",
      column: "account_name",
    },
  ];

  for (const c of cases) {
    it(`quarantines ${c.name} at its line, and loses nothing`, async () => {
      const dir = fixture();
      appendRaw(path.join(dir, c.file), c.append);
      const { report, quarantine } = await run(dir);
      const extractName = c.file.replace(".csv", "");
      const row = quarantine.find((q) => q.extract === extractName && q.line === c.line);
      expect(row, JSON.stringify(quarantine)).toBeDefined();
      expect(row!.codes).toContain(c.code);
      if (row!.code === c.code) expect(row!.column_name).toBe(c.column);
      if (c.message) expect(row!.message).toMatch(c.message);
      expectNothingLost(dir, report);
    });
  }

  it("numbers lines correctly after a quoted field with a newline", async () => {
    const dir = fixture();
    appendRaw(
      path.join(dir, "accounts.csv"),
      'A6,"Two\nLines Ltd",Retail,5,1,EMEA,,transactional,Partner,2024-01-01,,,,,\nA7,Bad Date,Retail,5,1,EMEA,,transactional,Partner,2024-13-01,,,,,\n',
    );
    const { quarantine } = await run(dir);
    expect(quarantine.map((q) => [q.extract, q.line, q.code])).toEqual([["accounts", 9, "invalid_date"]]);
  });

  it("numbers lines correctly after a ragged row", async () => {
    const dir = fixture();
    appendRaw(path.join(dir, "invoice_lines.csv"), "I05,2,X-WIDGET\nI05,3,X-WIDGET,1,100.00,$1,product\n");
    const { quarantine } = await run(dir);
    expect(quarantine.map((q) => [q.line, q.code])).toEqual([
      [14, "ragged_row"],
      [15, "invalid_money"],
    ]);
  });

  it("reconciles money to the cent: source = accepted + quarantined, checked with decimal.js over the raw file", async () => {
    const dir = fixture();
    appendRaw(
      path.join(dir, "invoice_lines.csv"),
      "I01,2,P-PRO,-1,55.00,-55.00,subscription\nI99,1,P-PRO,1,55.10,55.10,subscription\nI05,2,X-WIDGET,1,0.07,0.07,product\nI05,3,X-WIDGET,1,1,$1,product\n",
    );
    const { report } = await run(dir);
    const money = extract(report, "invoice_lines").money!;
    // Independent total: every amount cell of the raw file that is a plain decimal.
    const raw = readFileSync(path.join(dir, "invoice_lines.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[5]);
    const readable = raw.filter((a) => /^-?\d+(\.\d{1,2})?$/.test(a));
    const total = readable.reduce((sum, a) => sum.plus(a), new Decimal(0));
    expect(money.sourceTotal).toBe(total.toFixed(2));
    expect(new Decimal(money.acceptedTotal).plus(money.quarantinedTotal).toFixed(2)).toBe(total.toFixed(2));
    expect(money.quarantinedTotal).toBe("0.10"); // −55.00 (sign rule) + 55.10 (orphan invoice); the 0.07 line is accepted
    expect(money.unreadableRows).toBe(1);
    expect(money.balanced).toBe(true);
  });
});

describe("awkward but valid input is accepted", () => {
  it("matches headers regardless of case and surrounding spaces, and ignores extra columns", async () => {
    const dir = fixture();
    const file = path.join(dir, "role_rates.csv");
    writeFileSync(
      file,
      readFileSync(file, "utf8")
        .replace("role,hourly_cost,currency", " Role , HOURLY_COST,Currency,notes")
        .replace(/USD\n/g, "USD,x\n"),
    );
    const { report } = await run(dir);
    expect(extract(report, "role_rates")).toMatchObject({ accepted: 2, quarantined: 0, ignoredHeaders: ["notes"] });
  });

  it("reads a semicolon-delimited file with decimal commas and day-first dates", async () => {
    const dir = fixture();
    writeFileSync(
      path.join(dir, "marketing_spend.csv"),
      "month;channel;category;amount;currency\n01/01/2024;Direct Sales;sales;3.000,00;USD\n01/06/2024;Inbound;marketing;1.234,56;USD\n",
    );
    const { report } = await run(dir, {
      extracts: { marketing_spend: { format: { delimiter: ";", decimalSeparator: ",", dateFormat: "%d/%m/%Y" } } },
    });
    expect(extract(report, "marketing_spend")).toMatchObject({ accepted: 2, quarantined: 0 });
    expect(extract(report, "marketing_spend").money!.sourceTotal).toBe("4234.56");
    expect(extract(report, "marketing_spend").dateCoverage).toEqual([
      { column: "month", min: "2024-01-01", max: "2024-06-01" },
    ]);
  });

  it("strips a UTF-8 byte-order mark and accepts thousands separators", async () => {
    const dir = fixture();
    writeFileSync(
      path.join(dir, "role_rates.csv"),
      '\uFEFFrole,hourly_cost,currency\nAccount Manager,"1,080.00",USD\nSupport Engineer,60.00,USD\n',
    );
    const { report } = await run(dir);
    expect(extract(report, "role_rates")).toMatchObject({ accepted: 2, quarantined: 0 });
    expect(extract(report, "role_rates").money!.sourceTotal).toBe("1140.00");
  });

  it("accepts a header-only extract as zero rows", async () => {
    const dir = fixture();
    writeFileSync(path.join(dir, "nps_responses.csv"), "response_id,account_id,responded_on,score,comment\n");
    const { report } = await run(dir);
    expect(extract(report, "nps_responses")).toMatchObject({ rowsRead: 0, accepted: 0, quarantined: 0 });
  });
});
