/** Helpers for browser suites: the loader outputs inside a built site. */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Reads `dist/_file/data/<name>.<hash>.json`, the loader's output as the site serves it. */
export function loaderOutput<T>(dist: string, name: string): T {
  const dir = path.join(dist, "_file", "data");
  const file = readdirSync(dir).find((f) => f.startsWith(`${name}.`) && f.endsWith(".json"));
  if (!file) throw new Error(`no ${name} output in ${dir}`);
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as T;
}
