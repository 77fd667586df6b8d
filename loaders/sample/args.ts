/** Command-line options of `npm run sample`. */
import { parseDay } from "./dates.js";
import { DEFAULT_OPTIONS, type SampleOptions } from "./generate.js";

export type ParsedArgs = Omit<SampleOptions, "onProgress">;

/** Parses `--name value` / `--name=value` flags; returns "help" for --help. Throws on bad input. */
export function parseSampleArgs(argv: readonly string[]): ParsedArgs | "help" {
  const o: ParsedArgs = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--help" || arg === "-h") return "help";
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument: ${arg}`);
    const name = m[1];
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
    }
    const int = (lo: number, hi: number) => {
      if (!/^-?\d+$/.test(value!) || Number(value) < lo || Number(value) > hi)
        throw new Error(`--${name} must be an integer from ${lo} to ${hi}: ${value}`);
      return Number(value);
    };
    switch (name) {
      case "accounts":
        o.accounts = int(1, 10_000_000);
        break;
      case "years":
        o.years = int(1, 30);
        break;
      case "seed":
        o.seed = int(-2147483648, 4294967295);
        break;
      case "as-of":
        parseDay(value);
        o.asOf = value;
        break;
      case "out":
        o.out = value;
        break;
      default:
        throw new Error(`unknown option --${name}`);
    }
  }
  return o;
}
