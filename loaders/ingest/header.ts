/**
 * Reads an extract's header line in Node, before DuckDB runs, so that a missing column is
 * reported by name. The whole header record is read (it may be long, or hold quoted line
 * breaks), decoded as a stream so that no multi-byte character is ever cut, up to
 * HEADER_LIMIT; past that the build stops with a message naming the limit.
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { ExtractConfig } from "../config.js";
import { structuralError } from "../errors.js";

/** The longest header line read, and the most columns it may name. */
export const HEADER_LIMIT = { bytes: 1 << 20, columns: 10_000 } as const;

/** The byte-order mark's encoding: UTF-16 big-endian when the file starts with FE FF, little-endian otherwise. */
export function utf16Label(file: string): "utf-16be" | "utf-16le" {
  const fd = openSync(file, "r");
  const head = Buffer.alloc(2);
  try {
    readSync(fd, head, 0, 2, 0);
  } finally {
    closeSync(fd);
  }
  return head[0] === 0xfe && head[1] === 0xff ? "utf-16be" : "utf-16le";
}

export function readHeader(config: ExtractConfig, shown: string): string[] {
  const { encoding, delimiter } = config.format;
  const label = encoding === "utf-8" ? "utf-8" : encoding === "latin-1" ? "windows-1252" : utf16Label(config.file);
  // The BOM is dropped by the decoder (ignoreBOM false); invalid bytes become U+FFFD.
  const decoder = new TextDecoder(label);
  const fd = openSync(config.file, "r");
  const chunk = Buffer.alloc(64 << 10);
  let text = "";
  let read = 0;
  let record: { fields: string[]; complete: boolean } = { fields: [], complete: false };
  try {
    for (;;) {
      const length = readSync(fd, chunk, 0, chunk.length, read);
      if (length === 0) {
        text += decoder.decode();
        record = parseCsvHeader(text, delimiter);
        break;
      }
      read += length;
      text += decoder.decode(chunk.subarray(0, length), { stream: true });
      record = parseCsvHeader(text, delimiter);
      if (record.complete) break;
      if (read > HEADER_LIMIT.bytes)
        throw structuralError(
          shown,
          { line: 1 },
          `the header line is longer than ${HEADER_LIMIT.bytes.toLocaleString("en-US")} bytes, the most LTV Atlas reads; is extracts.${config.name}.format.delimiter right?`,
        );
    }
  } finally {
    closeSync(fd);
  }
  if (read === 0) throw structuralError(shown, { line: 1 }, "the file is empty: a header line is required");
  const headerText = record.fields.join("");
  if (headerText.includes("\uFFFD") && encoding === "utf-8") {
    throw structuralError(
      shown,
      { line: 1 },
      `text is not valid utf-8; set extracts.${config.name}.format.encoding (e.g. "latin-1" for Windows-1252 exports)`,
    );
  }
  const headers = record.fields;
  if (headers.length > HEADER_LIMIT.columns)
    throw structuralError(
      shown,
      { line: 1 },
      `the header has ${headers.length.toLocaleString("en-US")} columns; LTV Atlas reads at most ${HEADER_LIMIT.columns.toLocaleString("en-US")}`,
    );
  if (headers.length === 0 || headers.every((h) => h.trim() === "")) {
    throw structuralError(shown, { line: 1 }, "the header line is empty");
  }
  return headers;
}

/** Parses the first RFC 4180 record of `text`. */
export function parseCsvRecord(text: string, delimiter: string): string[] {
  return parseCsvHeader(text, delimiter).fields;
}

/** The first record's fields, and whether a line break (outside quotes) ended it. */
function parseCsvHeader(text: string, delimiter: string): { fields: string[]; complete: boolean } {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let complete = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      complete = true;
      break;
    } else field += ch;
  }
  fields.push(field);
  return { fields, complete };
}
