/**
 * The analyst pages' pure code on hand-worked fixtures. Every expected value below is worked
 * out by hand in the comments, not produced by the code under test.
 */
import { describe, expect, it } from "vitest";
import { escapeCsvCell, quoteCsvField, toCsv } from "../src/lib/csv.js";

describe("CSV export", () => {
  it("escapes text cells that a spreadsheet would run as a formula", () => {
    expect(escapeCsvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(escapeCsvCell("+33 1 23")).toBe("'+33 1 23");
    expect(escapeCsvCell("-cmd")).toBe("'-cmd");
    expect(escapeCsvCell("@import")).toBe("'@import");
    expect(escapeCsvCell("Acme")).toBe("Acme");
  });
  it("keeps numbers as numbers and quotes separators and quotes", () => {
    expect(escapeCsvCell(-5.25)).toBe("-5.25");
    expect(escapeCsvCell(null)).toBe("");
    expect(escapeCsvCell('He said "hi", then left')).toBe('"He said ""hi"", then left"');
    expect(escapeCsvCell("=1,2")).toBe(`"'=1,2"`);
    expect(toCsv([{ a: "=x", b: 1 }], ["a", "b"], ["name", "amount"])).toBe("name,amount\r\n'=x,1\r\n");
  });
});

describe("CSV field quoting", () => {
  it("quotes a field only when it holds a comma, a quote or a line break, doubling its quotes", () => {
    expect(quoteCsvField("plain text")).toBe("plain text");
    expect(quoteCsvField("a,b")).toBe('"a,b"');
    expect(quoteCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(quoteCsvField("two\nlines")).toBe('"two\nlines"');
    expect(quoteCsvField("cr\rhere")).toBe('"cr\rhere"');
    // Quoting is not formula escaping: that is escapeCsvCell's, for downloads only.
    expect(quoteCsvField("=1+1")).toBe("=1+1");
  });
});
