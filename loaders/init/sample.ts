/**
 * Reads the header and the first rows of a CSV export for `npm run init`, streamed in small
 * blocks so that a file of any size costs only its sample. The encoding is decided while
 * reading (a byte-order mark, else UTF-8 when every sampled byte is valid UTF-8, else
 * Windows-1252 / Latin-1), and the delimiter from the first lines, before rows are split.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { AtlasError } from "../errors.js";
import { sniffDelimiter, type Decision } from "./sniff.js";

/** What the config's `format.encoding` accepts. */
export type Encoding = "utf-8" | "latin-1" | "utf-16";

export interface FileSample {
  readonly file: string;
  readonly encoding: Decision<Encoding>;
  readonly delimiter: Decision<string>;
  readonly header: readonly string[];
  /** Data rows (after the header), at most `maxRows`, blank lines skipped. */
  readonly rows: readonly (readonly string[])[];
  /** True when the whole file fits in the sample. */
  readonly complete: boolean;
  /** The WHATWG label the file was decoded with, for a later full pass (forEachRecord). */
  readonly decoding: Decoding;
}

export interface SampleOptions {
  /** Data rows to read after the header. */
  readonly maxRows?: number;
  /** Bytes per read; small in tests so that characters straddle block boundaries. */
  readonly chunkSize?: number;
}

/** Lines the delimiter is decided on. */
const SNIFF_LINES = 50;

export function sampleFile(file: string, options: SampleOptions = {}): FileSample {
  const maxRows = options.maxRows ?? 5000;
  const chunkSize = options.chunkSize ?? 64 * 1024;
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new AtlasError(`${file}: cannot read the file: ${(error as Error).message}`);
  }
  try {
    const start = Buffer.alloc(4);
    const startBytes = readSync(fd, start, 0, 4, 0);
    const bom = byteOrderMark(start.subarray(0, startBytes));
    if (bom === null && looksLikeUtf16WithoutBom(fd)) {
      throw new AtlasError(
        `${file}: the file looks like UTF-16 without a byte-order mark (every other byte is zero); save it as UTF-8, or as UTF-16 with a byte-order mark`,
      );
    }
    const first = bom ?? "utf-8";
    try {
      return readSample(fd, file, first, maxRows, chunkSize, bomEvidence(bom));
    } catch (error) {
      if (!(error instanceof InvalidUtf8)) throw error;
      const evidence = `byte 0x${error.byte.toString(16).toUpperCase().padStart(2, "0")} at offset ${error.offset.toLocaleString("en-US")} (line ${error.line.toLocaleString("en-US")}) is not valid UTF-8: read as latin-1 (Windows-1252)`;
      return readSample(fd, file, "windows-1252", maxRows, chunkSize, evidence);
    }
  } finally {
    closeSync(fd);
  }
}

export type Decoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252";

function byteOrderMark(bytes: Buffer): Decoding | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

function bomEvidence(bom: Decoding | null): string | null {
  if (bom === "utf-8") return "UTF-8 byte-order mark (the reader strips it)";
  if (bom === "utf-16le" || bom === "utf-16be")
    return `UTF-16 byte-order mark (${bom === "utf-16le" ? "little" : "big"}-endian)`;
  return null;
}

/** ASCII text saved as UTF-16 has a zero in every other byte; UTF-8 and Latin-1 text has none. */
function looksLikeUtf16WithoutBom(fd: number): boolean {
  const head = Buffer.alloc(512);
  const n = readSync(fd, head, 0, head.length, 0);
  let zeros = 0;
  for (let i = 0; i < n; i++) if (head[i] === 0) zeros++;
  return n >= 4 && zeros >= n / 4;
}

class InvalidUtf8 extends Error {
  constructor(
    readonly offset: number,
    readonly byte: number,
    readonly line: number,
  ) {
    super("invalid UTF-8");
  }
}

function readSample(
  fd: number,
  file: string,
  decoding: Decoding,
  maxRows: number,
  chunkSize: number,
  bomNote: string | null,
): FileSample {
  // `stream: true` keeps a character split between two blocks for the next block.
  const decoder = new TextDecoder(decoding, { fatal: decoding === "utf-8" });
  const buffer = Buffer.alloc(chunkSize);
  let position = 0;
  let newlines = 0;
  let pending = "";
  let parser: CsvRecordParser | null = null;
  let delimiter: Decision<string> | null = null;
  const records: string[][] = [];
  let complete = false;
  const wanted = maxRows + 1;

  const startParsing = () => {
    delimiter = sniffDelimiter(firstLines(pending, SNIFF_LINES));
    parser = new CsvRecordParser(delimiter.value);
    parser.feed(pending, records, wanted);
    pending = "";
  };

  while (records.length < wanted) {
    const n = readSync(fd, buffer, 0, chunkSize, position);
    const bytes = buffer.subarray(0, n);
    let text: string;
    try {
      text = n === 0 ? decoder.decode() : decoder.decode(bytes, { stream: true });
    } catch {
      const at = firstInvalidUtf8(fd, position, n);
      throw new InvalidUtf8(at.offset, at.byte, newlines + at.newlinesBefore + 1);
    }
    for (let i = 0; i < n; i++) if (bytes[i] === 0x0a) newlines++;
    position += n;
    if (parser === null) {
      pending += text;
      if (n === 0 || countNewlines(pending) >= SNIFF_LINES) startParsing();
    } else {
      (parser as CsvRecordParser).feed(text, records, wanted);
    }
    if (n === 0) {
      (parser as CsvRecordParser | null)?.finish(records, wanted);
      complete = true;
      break;
    }
  }
  if (records.length === 0) throw new AtlasError(`${file}: the file is empty: there is no header line`);
  const header = records[0].map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, "") : h).trim());
  const encodingValue: Encoding = decoding === "windows-1252" ? "latin-1" : decoding === "utf-8" ? "utf-8" : "utf-16";
  const rows = records.slice(1);
  const encodingEvidence =
    decoding === "windows-1252"
      ? (bomNote ?? "bytes are not valid UTF-8: read as latin-1 (Windows-1252)")
      : (bomNote ??
        `every byte of the ${complete ? "file" : `first ${(rows.length + 1).toLocaleString("en-US")} lines`} is valid UTF-8`);
  return {
    file,
    encoding: { value: encodingValue, evidence: encodingEvidence },
    delimiter: delimiter as unknown as Decision<string>,
    header,
    rows,
    complete,
    decoding,
  };
}

/**
 * Every data row of the file, streamed block by block and handed to `onRow` (nothing is kept):
 * for the few measures that must cover the whole file rather than the sample.
 */
export function forEachRow(sample: FileSample, onRow: (row: readonly string[]) => void, chunkSize = 64 * 1024): number {
  const fd = openSync(sample.file, "r");
  try {
    const decoder = new TextDecoder(sample.decoding);
    const parser = new CsvRecordParser(sample.delimiter.value);
    const buffer = Buffer.alloc(chunkSize);
    const records: string[][] = [];
    let position = 0;
    let rows = -1;
    for (;;) {
      const n = readSync(fd, buffer, 0, chunkSize, position);
      position += n;
      parser.feed(
        n === 0 ? decoder.decode() : decoder.decode(buffer.subarray(0, n), { stream: true }),
        records,
        Infinity,
      );
      if (n === 0) parser.finish(records, Infinity);
      for (const record of records) {
        // The first record is the header.
        if (rows >= 0) onRow(record);
        rows++;
      }
      records.length = 0;
      if (n === 0) return Math.max(0, rows);
    }
  } finally {
    closeSync(fd);
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

function firstLines(text: string, count: number): string {
  let end = -1;
  for (let i = 0; i < count; i++) {
    const next = text.indexOf("\n", end + 1);
    if (next < 0) return text;
    end = next;
  }
  return text.slice(0, end);
}

/**
 * Finds the first byte that breaks UTF-8 in the block read at `position` (looking back three
 * bytes for a character the block boundary split), for a message naming offset and line.
 */
function firstInvalidUtf8(
  fd: number,
  position: number,
  length: number,
): { offset: number; byte: number; newlinesBefore: number } {
  const from = Math.max(0, position - 3);
  const bytes = Buffer.alloc(position - from + length);
  readSync(fd, bytes, 0, bytes.length, from);
  let i = 0;
  // Skip continuation bytes of a character that started before `from`.
  while (i < position - from && (bytes[i] & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i];
    const size =
      b < 0x80
        ? 1
        : (b & 0xe0) === 0xc0 && b >= 0xc2
          ? 2
          : (b & 0xf0) === 0xe0
            ? 3
            : (b & 0xf8) === 0xf0 && b <= 0xf4
              ? 4
              : 0;
    let ok = size > 0 && i + size <= bytes.length;
    for (let k = 1; ok && k < size; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (!ok) break;
    i += size;
  }
  let newlinesBefore = 0;
  for (let k = Math.max(i, position - from) - 1; k >= position - from; k--) if (bytes[k] === 0x0a) newlinesBefore++;
  return { offset: from + i, byte: bytes[Math.min(i, bytes.length - 1)] ?? 0, newlinesBefore };
}

/**
 * RFC 4180 records from text fed in pieces: quoted fields may hold delimiters, doubled quotes
 * and newlines; CRLF and LF both end a record; blank lines are skipped.
 */
export class CsvRecordParser {
  private field = "";
  private record: string[] = [];
  private quoted = false;
  /** The previous piece ended on a quote inside a quoted field: escape or closing quote. */
  private quotePending = false;
  private fieldStarted = false;

  constructor(private readonly delimiter: string) {}

  feed(text: string, out: string[][], limit: number): void {
    for (let i = 0; i < text.length && out.length < limit; i++) {
      const c = text[i];
      if (this.quotePending) {
        this.quotePending = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (c === '"') this.quotePending = true;
        else this.field += c;
      } else if (c === '"' && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
      } else if (c === this.delimiter) {
        this.endField();
      } else if (c === "\n") {
        this.endRecord(out);
      } else if (c === "\r") {
        // CR of CRLF: the LF ends the record.
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
  }

  finish(out: string[][], limit: number): void {
    if (out.length < limit && (this.fieldStarted || this.record.length > 0)) this.endRecord(out);
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = "";
    this.fieldStarted = false;
  }

  private endRecord(out: string[][]): void {
    this.quotePending = false;
    this.quoted = false;
    this.endField();
    const blank = this.record.length === 1 && this.record[0] === "";
    if (!blank) out.push(this.record);
    this.record = [];
  }
}
