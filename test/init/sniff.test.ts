/**
 * loaders/init/sniff.ts: delimiter, decimal separator and money decimals, each decided with the
 * evidence that decided it; counts in the evidence are counted by hand from the inputs.
 */
import { describe, expect, it } from "vitest";
import {
  decimalsOf,
  sniffDecimalSeparator,
  sniffDelimiter,
  sniffMoneyDecimals,
  type MoneySample,
} from "../../loaders/init/sniff.js";

describe("delimiter", () => {
  it("picks the delimiter that splits every line alike, ignoring delimiters inside quotes", () => {
    expect(sniffDelimiter('id;name;amount\n1;"Smith, Jo";1,50\n2;"A; B";2,00')).toEqual({
      value: ";",
      evidence: '";" splits the header and 2 of 2 sampled lines into 3 fields',
    });
    expect(sniffDelimiter("a\tb\tc\n1\t2,5\t3\n").value).toBe("\t");
    expect(sniffDelimiter("a\tb\tc\n1\t2,5\t3\n").evidence).toBe(
      "tab splits the header and 1 of 1 sampled lines into 3 fields",
    );
    expect(sniffDelimiter("a|b\n1|x,y,z\n2|q").value).toBe("|");
    expect(sniffDelimiter("a,b,c\n1,2,3\n").value).toBe(",");
  });

  it("says when the header has a single column", () => {
    expect(sniffDelimiter("customer\nAcme\n")).toEqual({
      value: ",",
      evidence: "no , ; tab or | in the header: the file has a single column",
    });
  });
});

describe("decimal separator", () => {
  it("decimal comma when numbers are written 1.234,56 or 12,5", () => {
    const d = sniffDecimalSeparator(["1.234,56", "12,5", "3", "-0,75", "2.000"]);
    expect(d.value).toBe(",");
    expect(d.evidence).toBe(
      "decimal comma: 3 numbers are written with one (e.g. 1.234,56), none with a decimal point; 1 like 1.234 could be either",
    );
  });

  it("decimal point when numbers are written 1,234.56 or 12.5", () => {
    const d = sniffDecimalSeparator(["1,234.56", "12.5", "7"]);
    expect(d).toEqual({
      value: ".",
      evidence: "decimal point: 2 numbers are written with one (e.g. 1,234.56), none with a decimal comma",
    });
  });

  it("assumes a decimal point, and says so, when no number shows its separator", () => {
    const d = sniffDecimalSeparator(["1.234", "100", "2,500"]);
    expect(d.value).toBe(".");
    expect(d.evidence).toBe(
      "no sampled number has a decimal part that shows its separator; 2 like 1.234 could be either: decimal point assumed",
    );
  });

  it("counts decimals for either separator, with grouping and digit-group spaces", () => {
    expect(decimalsOf("1,234.5678", ".")).toBe(4);
    expect(decimalsOf("1.234,5", ",")).toBe(1);
    expect(decimalsOf("1 234,50", ",")).toBe(2);
    expect(decimalsOf("-12", ".")).toBe(0);
    expect(decimalsOf("$12.00", ".")).toBeNull();
    expect(decimalsOf("1,00,000.00", ".")).toBeNull();
  });
});

describe("money decimals", () => {
  const money = (label: string, ...texts: string[]): MoneySample[] =>
    texts.map((text) => ({ label, text, decimals: decimalsOf(text, ".") ?? 0 }));

  it("4 when order lines carry 4-decimal money, with the values that showed it", () => {
    const d = sniffMoneyDecimals([...money("Sales", "261.96", "22.368", "3.0576", "10"), ...money("Profit", "-1.5")]);
    expect(d.value).toBe(4);
    expect(d.evidence).toBe("4 decimals: 2 of 5 sampled money values (Sales) have more than 2 (e.g. 22.368, 3.0576)");
    expect(d.tooPrecise).toBe(0);
  });

  it("3 when 3 decimals is the most", () => {
    expect(sniffMoneyDecimals(money("Amount", "1.5", "2.125")).value).toBe(3);
  });

  it("2 when nothing has more than cents", () => {
    expect(sniffMoneyDecimals(money("Amount", "1.50", "2", "3.1"))).toEqual({
      value: 2,
      evidence: "2 decimals: none of 3 sampled money values has more than 2",
      tooPrecise: 0,
    });
  });

  it("says so when values have more than 4 decimals: 4 is the most read exactly", () => {
    const d = sniffMoneyDecimals(money("Sales", "1.23456", "2.5", "0.123456"));
    expect(d.value).toBe(4);
    expect(d.tooPrecise).toBe(2);
    expect(d.evidence).toContain("2 have more than 4 (e.g. 1.23456, 0.123456)");
    expect(d.evidence).toContain("quarantined as invalid_money");
  });
});
