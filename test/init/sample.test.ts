/**
 * loaders/init/sample.ts: the streamed sample reads records right whatever the block size,
 * stops after the sample, and decides the encoding from the bytes (byte-order marks, valid
 * UTF-8, else Windows-1252), naming the first byte that is not UTF-8.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CsvRecordParser, sampleFile } from "../../loaders/init/sample.js";
import { csv, tempDir, type TempDir } from "./helpers.js";

let tmp: TempDir;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.remove());

describe("records", () => {
  it("reads quoted delimiters, doubled quotes, quoted newlines, CRLF and skips blank lines", () => {
    const file = tmp.write(
      "quoted.csv",
      'id,name,note\r\n1,"Smith, Jo","said ""hi"""\r\n\r\n2,"two\nlines",x\r\n3,Bob "the" Builder,\r\n',
    );
    const s = sampleFile(file);
    expect(s.header).toEqual(["id", "name", "note"]);
    expect(s.rows).toEqual([
      ["1", "Smith, Jo", 'said "hi"'],
      ["2", "two\nlines", "x"],
      ["3", 'Bob "the" Builder', ""],
    ]);
    expect(s.complete).toBe(true);
  });

  it("gives the same records for every way of cutting the text into pieces", () => {
    const text = 'a,b\n"x ""y""",2\n"p\r\nq",3\n';
    const whole: string[][] = [];
    const p = new CsvRecordParser(",");
    p.feed(text, whole, 100);
    p.finish(whole, 100);
    for (let cut = 1; cut < text.length; cut++) {
      const parts: string[][] = [];
      const q = new CsvRecordParser(",");
      q.feed(text.slice(0, cut), parts, 100);
      q.feed(text.slice(cut), parts, 100);
      q.finish(parts, 100);
      expect(parts, `cut at ${cut}`).toEqual(whole);
    }
  });

  it("stops after the sample: maxRows rows of a larger file, not the whole file", () => {
    const lines = ["n,value"];
    for (let i = 1; i <= 20_000; i++) lines.push(`${i},${i * 3}`);
    const file = tmp.write("big.csv", csv(...lines));
    const s = sampleFile(file, { maxRows: 5000, chunkSize: 4096 });
    expect(s.rows.length).toBe(5000);
    expect(s.rows[4999]).toEqual(["5000", "15000"]);
    expect(s.complete).toBe(false);
    expect(s.encoding.evidence).toBe("every byte of the first 5,001 lines is valid UTF-8");
  });
});

describe("encoding", () => {
  const text = csv("customer,city", "Zoë,Łódź", "Renée,Kraków €", "日本,東京");

  it("keeps a multi-byte character whole when a block boundary splits it (every block size from 1 to 16 bytes)", () => {
    const file = tmp.write("multibyte.csv", text);
    for (let chunkSize = 1; chunkSize <= 16; chunkSize++) {
      const s = sampleFile(file, { chunkSize });
      expect(s.encoding.value, `chunk ${chunkSize}`).toBe("utf-8");
      expect(s.rows, `chunk ${chunkSize}`).toEqual([
        ["Zoë", "Łódź"],
        ["Renée", "Kraków €"],
        ["日本", "東京"],
      ]);
    }
  });

  it("strips a UTF-8 byte-order mark and says so", () => {
    const file = tmp.write("bom.csv", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const s = sampleFile(file, { chunkSize: 2 });
    expect(s.encoding).toEqual({ value: "utf-8", evidence: "UTF-8 byte-order mark (the reader strips it)" });
    expect(s.header).toEqual(["customer", "city"]);
  });

  it("reads UTF-16 with a byte-order mark, little- and big-endian", () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, bytes] of [
      ["le.csv", le],
      ["be.csv", be],
    ] as const) {
      const s = sampleFile(tmp.write(name, bytes), { chunkSize: 3 });
      expect(s.encoding.value).toBe("utf-16");
      expect(s.header).toEqual(["customer", "city"]);
      expect(s.rows[2]).toEqual(["日本", "東京"]);
    }
  });

  it("refuses UTF-16 without a byte-order mark", () => {
    const file = tmp.write("nobom16.csv", Buffer.from(text, "utf16le"));
    expect(() => sampleFile(file)).toThrow(/UTF-16 without a byte-order mark/);
  });

  it("reads bytes that are not UTF-8 as Windows-1252 and names the first such byte, its offset and line", () => {
    // Café in Latin-1 (0xE9), then the euro sign of Windows-1252 (0x80), past the first block.
    const bytes = Buffer.concat([
      Buffer.from("customer,amount\nAcme,1.00\nCaf"),
      Buffer.from([0xe9]),
      Buffer.from(" Noir,"),
      Buffer.from([0x80]),
      Buffer.from("2\n"),
    ]);
    const offset = bytes.indexOf(0xe9);
    const file = tmp.write("latin1.csv", bytes);
    const s = sampleFile(file, { chunkSize: 8 });
    expect(s.encoding.value).toBe("latin-1");
    expect(s.encoding.evidence).toBe(
      `byte 0xE9 at offset ${offset} (line 3) is not valid UTF-8: read as latin-1 (Windows-1252)`,
    );
    expect(s.rows).toEqual([
      ["Acme", "1.00"],
      ["Café Noir", "€2"],
    ]);
  });

  it("names an unreadable or empty file", () => {
    expect(() => sampleFile(`${tmp.dir}/missing.csv`)).toThrow(/missing\.csv: cannot read the file/);
    expect(() => sampleFile(tmp.write("empty.csv", ""))).toThrow(/empty\.csv: the file is empty/);
  });
});
