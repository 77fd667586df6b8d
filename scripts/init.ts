/**
 * npm run init -- FILE... [--out CONFIG] [--force]
 *
 * Reads the header and the first 5,000 rows of each export, decides which extract each is and
 * how it is written, and writes a config (default: atlas.config.json beside the first file)
 * with a `$comments` entry for every choice. Prints what it decided and why, what the pages
 * will show and the build command. Exit code 2 on any problem, with a message naming the file.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { AtlasError } from "../loaders/errors.js";
import { proposeConfig, proposeFile } from "../loaders/init/propose.js";
import { renderReport } from "../loaders/init/report.js";
import { sampleFile } from "../loaders/init/sample.js";

const USAGE = "usage: npm run init -- FILE... [--out CONFIG] [--force]\n";

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      out: { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals.length === 0) throw new AtlasError(`name at least one CSV export\n${USAGE.trimEnd()}`);
  const files = positionals.map((f) => path.resolve(f));
  const configPath = path.resolve(values.out ?? path.join(path.dirname(files[0]), "atlas.config.json"));
  // Checked before reading anything: a refused overwrite should not cost a scan of every file.
  if (existsSync(configPath) && !values.force)
    throw new AtlasError(`${configPath} already exists: pass --force to overwrite it, or --out to write elsewhere`);

  const proposals = files.map((file) => proposeFile(sampleFile(file)));
  const { json, warnings } = proposeConfig(proposals, configPath);
  try {
    writeFileSync(configPath, `${JSON.stringify(json, null, 2)}\n`);
  } catch (error) {
    throw new AtlasError(`${configPath}: cannot write the configuration: ${(error as Error).message}`);
  }
  const limit = json.quarantineLimit as { rows: number; money: number } | undefined;
  process.stdout.write(
    renderReport(
      proposals,
      configPath,
      warnings,
      limit && { ...limit, why: String((json.$comments as Record<string, string>).quarantineLimit) },
    ),
  );
}

try {
  main();
} catch (error) {
  const known = error instanceof AtlasError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  process.stderr.write(`init: ${known ? (error as Error).message : (error as Error).stack}\n`);
  process.exitCode = 2;
}
