/** Command-line options of `npm run sample`. */
import { parseArgs } from "node:util";
import { parseDay } from "../../src/lib/dates.js";
import { DEFAULT_OPTIONS, type SampleOptions } from "./generate.js";

export type ParsedArgs = Omit<SampleOptions, "onProgress">;

/**
 * Parses `--name value` / `--name=value` flags (node:util parseArgs, strict: an unknown option
 * or a missing value throws); returns "help" for --help. Throws on bad input.
 */
export function parseSampleArgs(argv: readonly string[]): ParsedArgs | "help" {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      accounts: { type: "string" },
      years: { type: "string" },
      seed: { type: "string" },
      "as-of": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const int = (name: string, value: string, lo: number, hi: number) => {
    if (!/^-?\d+$/.test(value) || Number(value) < lo || Number(value) > hi)
      throw new Error(`--${name} must be an integer from ${lo} to ${hi}: ${value}`);
    return Number(value);
  };
  const o: ParsedArgs = { ...DEFAULT_OPTIONS };
  if (values.accounts !== undefined) o.accounts = int("accounts", values.accounts, 1, 10_000_000);
  if (values.years !== undefined) o.years = int("years", values.years, 1, 30);
  if (values.seed !== undefined) o.seed = int("seed", values.seed, -2147483648, 4294967295);
  if (values["as-of"] !== undefined) {
    parseDay(values["as-of"]);
    o.asOf = values["as-of"];
  }
  if (values.out !== undefined) o.out = values.out;
  return o;
}
