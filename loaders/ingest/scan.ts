/**
 * Passes over an extract's bytes (UTF-8 or a single-byte encoding, as DuckDB reads it) that
 * keep its line numbers exact: physical lines, control characters, lines too long for the
 * reader, blank lines DuckDB skips, and the raw text of a line for the quarantine.
 */
import { closeSync, openSync, readSync, writeSync } from "node:fs";

/** DuckDB's `max_line_size`: a longer line is quarantined whole, with its own first characters. */
export const MAX_LINE_BYTES = 4 << 20;

export interface ByteScan {
  /** Physical lines: newlines, plus one for a last line without a newline. */
  readonly lines: number;
  /** A control character other than tab, CR and LF occurs. */
  readonly controlChars: boolean;
  /** Physical lines longer than MAX_LINE_BYTES (line number, first byte, length in bytes). */
  readonly overlong: ReadonlyArray<{ readonly line: number; readonly start: number; readonly bytes: number }>;
}

export function scanBytes(file: string): ByteScan {
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(4 << 20);
  const overlong: Array<{ line: number; start: number; bytes: number }> = [];
  let lines = 0;
  let controlChars = false;
  let last = 10;
  let offset = 0;
  let lineStart = 0;
  try {
    for (;;) {
      const length = readSync(fd, buffer, 0, buffer.length, null);
      if (length === 0) break;
      for (let i = 0; i < length; i++) {
        const b = buffer[i];
        if (b < 32 || b === 127) {
          if (b === 10) {
            lines++;
            const end = offset + i;
            if (end - lineStart > MAX_LINE_BYTES)
              overlong.push({ line: lines, start: lineStart, bytes: end - lineStart });
            lineStart = end + 1;
          } else if (b !== 9 && b !== 13) controlChars = true;
        }
      }
      offset += length;
      last = buffer[length - 1];
    }
  } finally {
    closeSync(fd);
  }
  if (last !== 10 && offset - lineStart > MAX_LINE_BYTES)
    overlong.push({ line: lines + 1, start: lineStart, bytes: offset - lineStart });
  return { lines: last === 10 ? lines : lines + 1, controlChars, overlong };
}

/**
 * Physical line numbers of blank lines (empty, or a lone carriage return) outside quoted
 * fields: DuckDB skips them, so the line numbers of later records move down. One pass over
 * the bytes with the reader's quoting rule: a quote opens a quoted field only as the field's
 * first character (elsewhere it is text, as in `Bob "the" Builder`); inside, a doubled quote
 * is one quote and a single one closes the field.
 */
export function blankLines(file: string, delimiter: string): number[] {
  // A multi-byte delimiter ends with its last byte, which occurs in no other UTF-8 character's encoding at the end.
  const delimiterEnd = Buffer.from(delimiter, "utf8").at(-1)!;
  const fd = openSync(file, "r");
  const buffer = Buffer.alloc(4 << 20);
  const out: number[] = [];
  let line = 1;
  let quoted = false;
  // Inside a quoted field, a quote was just seen: the next byte says whether it was doubled.
  let closing = false;
  let fieldStart = true;
  let empty = true;
  try {
    for (;;) {
      const length = readSync(fd, buffer, 0, buffer.length, null);
      if (length === 0) break;
      for (let i = 0; i < length; i++) {
        const byte = buffer[i];
        if (quoted) {
          if (closing) {
            closing = false;
            if (byte === 34) continue;
            quoted = false;
          } else {
            if (byte === 34) closing = true;
            continue;
          }
        }
        if (byte === 34 && fieldStart) {
          quoted = true;
          empty = false;
          fieldStart = false;
        } else if (byte === 10) {
          if (empty && line > 1) out.push(line);
          line++;
          empty = true;
          fieldStart = true;
        } else if (byte !== 13) {
          empty = false;
          fieldStart = byte === delimiterEnd;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The text of the line starting at byte `start`, cut to `chars` characters (never inside a character). */
export function lineText(file: string, start: number, chars = 2000): string {
  const fd = openSync(file, "r");
  // A UTF-8 character takes at most 4 bytes.
  const buffer = Buffer.alloc(chars * 4);
  let length: number;
  try {
    length = readSync(fd, buffer, 0, buffer.length, start);
  } finally {
    closeSync(fd);
  }
  const decoded = new TextDecoder("utf-8").decode(buffer.subarray(0, length), { stream: true });
  const end = decoded.search(/\r?\n/);
  return [...(end < 0 ? decoded : decoded.slice(0, end))].slice(0, chars).join("");
}

/** Copies `file` to `target` with the given byte ranges left out (an over-long line becomes a blank one). */
export function copyWithout(
  file: string,
  target: string,
  ranges: ReadonlyArray<{ start: number; bytes: number }>,
): void {
  const input = openSync(file, "r");
  const output = openSync(target, "w");
  const buffer = Buffer.alloc(4 << 20);
  let position = 0;
  try {
    for (const range of [...ranges, { start: Infinity, bytes: 0 }]) {
      while (position < range.start) {
        const want = Math.min(buffer.length, range.start - position);
        const length = readSync(input, buffer, 0, want, position);
        if (length === 0) return;
        writeSync(output, buffer, 0, length);
        position += length;
      }
      position = range.start + range.bytes;
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
}
