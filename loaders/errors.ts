/**
 * A problem the user must fix before anything can be built (a missing file or column, an
 * unreadable encoding, a date format that matches nothing). The message names the file,
 * the column and the line; the build prints it and exits non-zero.
 */
export class AtlasError extends Error {
  override readonly name = "AtlasError";
}

/** Builds the one-line message of a structural problem in an extract. */
export function structuralError(file: string, where: { line?: number; column?: string }, what: string): AtlasError {
  const parts = [file];
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  if (where.column !== undefined) parts.push(`column "${where.column}"`);
  return new AtlasError(`${parts.join(", ")}: ${what}`);
}
