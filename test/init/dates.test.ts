/**
 * loaders/init/dates.ts: the date format of a column, decided from its values and said why.
 * Each chosen format is then handed to DuckDB's strptime (what the ingest runs) and must read
 * every value as the calendar date written by hand beside it.
 */
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sniffDateFormat } from "../../loaders/init/dates.js";

let connection: DuckDBConnection;
beforeAll(async () => {
  connection = await (await DuckDBInstance.create(":memory:")).connect();
});
afterAll(() => connection.closeSync());

/** What the ingest makes of each value with this format (null when it does not read). */
async function read(values: readonly string[], format: string): Promise<(string | null)[]> {
  const out: (string | null)[] = [];
  for (const v of values) {
    const reader = await connection.runAndReadAll("SELECT CAST(CAST(TRY_STRPTIME($1, $2) AS DATE) AS VARCHAR)", [
      v,
      format,
    ]);
    out.push(reader.getRows()[0][0] as string | null);
  }
  return out;
}

/** value → the date it means, written ISO by hand. */
type Cases = readonly (readonly [string, string])[];

async function expectReads(cases: Cases, format: string) {
  expect(
    await read(
      cases.map((c) => c[0]),
      format,
    ),
  ).toEqual(cases.map((c) => c[1]));
}

describe("day-first or month-first", () => {
  it("day-first when a first field is above 12", async () => {
    const cases: Cases = [
      ["08/11/2016", "2016-11-08"],
      ["12/06/2016", "2016-06-12"],
      ["15/04/2017", "2017-04-15"],
      ["1/2/2018", "2018-02-01"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%d/%m/%Y");
    expect(d.evidence).toBe("day-first: 1 of 4 dates have a first field above 12");
    await expectReads(cases, d.value);
  });

  it("month-first when a second field is above 12", async () => {
    const cases: Cases = [
      ["1/15/2024", "2024-01-15"],
      ["3/20/2024", "2024-03-20"],
      ["4/2/2024", "2024-04-02"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%m/%d/%Y");
    expect(d.evidence).toBe("month-first: 2 of 3 dates have a second field above 12");
    await expectReads(cases, d.value);
  });

  it("undecidable: says so and picks month-first with the reason", () => {
    const d = sniffDateFormat(["01/02/2024", "03/04/2024", "12/11/2024"]);
    expect(d.value).toBe("%m/%d/%Y");
    expect(d.evidence).toMatch(/^undecidable: none of 3 sampled dates has a field above 12; month-first chosen/);
  });

  it("undecidable dotted dates are read day-first, the European way, and said so", () => {
    const d = sniffDateFormat(["01.02.2024", "03.04.2024"]);
    expect(d.value).toBe("%d.%m.%Y");
    expect(d.evidence).toMatch(/^undecidable: .*day-first chosen because dotted dates/);
  });

  it("another date column of the file decides when the column's own values cannot", () => {
    const d = sniffDateFormat(
      ["08/11/2016", "11/10/2015"],
      [{ header: "Ship Date", values: ["11/11/2016", "18/10/2015"] }],
    );
    expect(d.value).toBe("%d/%m/%Y");
    expect(d.evidence).toBe(
      "day-first: no sampled date of this column has a field above 12, but 1 of 2 dates in Ship Date, written the same way, have a first field above 12",
    );
  });

  it("conflicting values: the majority order, and the others counted as unreadable", () => {
    const d = sniffDateFormat(["13/01/2024", "14/01/2024", "01/13/2024"]);
    expect(d.value).toBe("%d/%m/%Y");
    expect(d.unreadable).toBe(1);
    expect(d.evidence).toMatch(
      /^conflicting: 2 dates have a first field above 12 and 1 a second field above 12: day-first chosen/,
    );
  });
});

describe("ISO, times and years", () => {
  it("ISO without a time", async () => {
    const cases: Cases = [
      ["2024-03-31", "2024-03-31"],
      ["2024-04-05", "2024-04-05"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%Y-%m-%d");
    expect(d.evidence).toBe('ISO year-month-day: 2 of 2 dates are written like "2024-03-31"');
    await expectReads(cases, d.value);
  });

  it("ISO with a time in seconds (Online Retail II's InvoiceDate)", async () => {
    const cases: Cases = [
      ["2009-12-01 07:45:00", "2009-12-01"],
      ["2010-12-09 12:50:00", "2010-12-09"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%Y-%m-%d %H:%M:%S");
    expect(d.evidence).toContain(", with a time");
    await expectReads(cases, d.value);
  });

  it("ISO with a T and a time", async () => {
    const d = sniffDateFormat(["2024-01-05T10:00:00"]);
    expect(d.value).toBe("%Y-%m-%dT%H:%M:%S");
    await expectReads([["2024-01-05T10:00:00", "2024-01-05"]], d.value);
  });

  it("month-first with hours and minutes (12/1/2010 8:26)", async () => {
    const cases: Cases = [
      ["12/1/2010 8:26", "2010-12-01"],
      ["12/13/2010 14:05", "2010-12-13"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%m/%d/%Y %H:%M");
    await expectReads(cases, d.value);
  });

  it("12-hour times with AM/PM", async () => {
    const cases: Cases = [
      ["1/15/2024 3:45 PM", "2024-01-15"],
      ["2/16/2024 11:05 AM", "2024-02-16"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%m/%d/%Y %I:%M %p");
    await expectReads(cases, d.value);
  });

  it("2-digit years, said so", async () => {
    const cases: Cases = [
      ["25/12/23", "2023-12-25"],
      ["01/02/24", "2024-02-01"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%d/%m/%y");
    expect(d.evidence).toContain("2-digit years");
    await expectReads(cases, d.value);
  });

  it("month names", async () => {
    const d = sniffDateFormat(["05-Jan-2024", "17-Feb-2024"]);
    expect(d.value).toBe("%d-%b-%Y");
    await expectReads(
      [
        ["05-Jan-2024", "2024-01-05"],
        ["17-Feb-2024", "2024-02-17"],
      ],
      d.value,
    );
  });

  it("counts values written another way as unreadable", () => {
    const d = sniffDateFormat(["2024-01-05", "2024-01-06", "2024-01-07 10:00"]);
    expect(d.value).toBe("%Y-%m-%d");
    expect(d.unreadable).toBe(1);
    expect(d.unreadableExamples).toEqual(["2024-01-07 10:00"]);
  });

  it("ISO instants in UTC (a trailing Z), with fractions of a second", async () => {
    const cases: Cases = [
      ["2024-01-05T10:00:00.123Z", "2024-01-05"],
      ["2024-01-06T23:59:59.5Z", "2024-01-06"],
    ];
    const d = sniffDateFormat(cases.map((c) => c[0]));
    expect(d.value).toBe("%Y-%m-%dT%H:%M:%S.%fZ");
    await expectReads(cases, d.value);
  });

  it("says when no value is in a form it knows (offsets other than Z are left to the user)", () => {
    const d = sniffDateFormat(["2024-01-05T10:00:00+02:00", "yesterday"]);
    expect(d.unknown).toBe(true);
    expect(d.evidence).toMatch(/set the date format by hand/);
  });

  it("ignores empty and NULL-like cells", () => {
    const d = sniffDateFormat(["", "NULL", "2024-01-05", "N/A"]);
    expect(d.evidence).toBe('ISO year-month-day: 1 of 1 dates are written like "2024-01-05"');
  });
});
