/**
 * CSV output for the sample generator: money from integer cents, and a buffered, streaming
 * file writer that never holds a whole file (fields quoted by quoteCsvField, src/lib/csv.ts).
 */
import { closeSync, openSync, renameSync, writeSync } from "node:fs";

/** Integer cents as a decimal with exactly two places, e.g. -1234 → "-12.34". */
export function money(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`cents must be a safe integer: ${cents}`);
  const neg = cents < 0;
  const abs = neg ? -cents : cents;
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return (neg ? "-" : "") + whole + (frac < 10 ? ".0" : ".") + frac;
}

/** Hours held as integer quarter hours, e.g. 6 → "1.5". */
export function quarterHours(quarters: number): string {
  return String(quarters / 4);
}

/** Output buffer size in bytes (a few MB). */
const CHUNK = 4 * 1024 * 1024;

/**
 * Streams CSV rows to `<path>.partial` with `\n` line endings and renames it to `path` on
 * close, so an interrupted run never leaves a truncated file under the final name. Rows are
 * encoded straight into a fixed byte buffer that is written out whenever it fills up.
 */
export class CsvWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  rows = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    header: readonly string[],
  ) {
    this.fd = openSync(path + ".partial", "w");
    this.append(header.join(","));
  }

  /** Appends one already-escaped row (fields joined by commas, no line ending). */
  row(line: string): void {
    this.append(line);
    this.rows++;
  }

  private append(line: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit, plus the newline.
    if (this.used + line.length * 3 + 1 > CHUNK) {
      this.flush();
      if (line.length * 3 + 1 > CHUNK) {
        const data = Buffer.from(line + "\n", "utf8");
        this.writeAll(data, data.length);
        return;
      }
    }
    this.used += this.buffer.write(line, this.used, "utf8");
    this.buffer[this.used++] = 10;
  }

  private writeAll(data: Buffer, length: number): void {
    let offset = 0;
    while (offset < length) offset += writeSync(this.fd, data, offset, length - offset);
    this.bytes += length;
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeAll(this.buffer, this.used);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    renameSync(this.path + ".partial", this.path);
  }
}
