/** Temporary CSV files for the init suites. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface TempDir {
  readonly dir: string;
  /** Writes text (UTF-8) or bytes and returns the file's path. */
  write(name: string, content: string | Buffer): string;
  remove(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(path.join(os.tmpdir(), "atlas-init-"));
  return {
    dir,
    write(name, content) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Lines joined with LF and a final newline. */
export function csv(...lines: string[]): string {
  return `${lines.join("\n")}\n`;
}
