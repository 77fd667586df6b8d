/**
 * The page shell of each saved scenario (/scenarios/<name>, one page of src/scenarios/[name].md
 * per data/scenarios file). Framework gives every such page its template's front matter, so
 * they would all be titled "Scenario", carry no description and, not being in the config's
 * page list, no pager. After the build we write, from the saved scenarios the page itself
 * loads (`_file/data/scenario-saved.*.json`):
 * - `<title>`: the scenario's title;
 * - `<meta name="description">`: its description, or the change it makes, in one sentence;
 * - the sidebar: "Scenarios" marked as the current section;
 * - the pager: the workbench, then the saved scenarios in order, then the page after the workbench.
 * Each rewrite must find its target: a Framework upgrade that changes the shell fails the build.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { formatMoneyCompact } from "../src/lib/format.js";

interface SavedPage {
  readonly name: string;
  readonly scenario: { readonly title: string; readonly description?: string; readonly ledger: readonly unknown[] };
  readonly report: {
    readonly currency: string;
    readonly asOf: string;
    readonly portfolio: { readonly baseline: { valueCents: number }; readonly scenario: { valueCents: number } };
  };
}

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** One sentence for search results and link previews: the description, or what the scenario changes. */
export function scenarioDescription(page: SavedPage): string {
  const text = page.scenario.description?.trim();
  if (text) return text.length > 300 ? `${text.slice(0, 299)}…` : text;
  const { baseline, scenario } = page.report.portfolio;
  const m = (c: number) => formatMoneyCompact(c, page.report.currency);
  const n = page.scenario.ledger.length;
  return `Saved scenario with ${n} adjustment${n === 1 ? "" : "s"}: customer value ${m(baseline.valueCents)} today, ${m(scenario.valueCents)} under the scenario (as of ${page.report.asOf}).`;
}

/**
 * A rewriter for the built pages under `dir`: saved scenario pages get their shell, every
 * other page is returned as it is.
 */
export function savedScenarioShell(dir: string): (html: string, file: string) => string {
  const data = path.join(dir, "_file", "data");
  const json = existsSync(data)
    ? readdirSync(data).find((f) => /^scenario-saved\.[0-9a-f]+\.json$/.test(f))
    : undefined;
  if (!json) return (html) => html;
  const saved = JSON.parse(readFileSync(path.join(data, json), "utf8")) as SavedPage[];
  const files = new Map(saved.map((s, i) => [path.join(dir, "scenarios", `${s.name}.html`), i]));
  // The page after the workbench, as Framework linked it from the workbench (same folder, same href).
  const workbench = path.join(dir, "scenarios", "index.html");
  const after = existsSync(workbench)
    ? /<nav><a rel="prev"[^>]*>.*?<\/a>(<a rel="next" href="[^"]*"><span>[^<]*<\/span><\/a>)?<\/nav>/.exec(
        readFileSync(workbench, "utf8"),
      )?.[1]
    : undefined;
  const link = (rel: "prev" | "next", href: string, name: string) =>
    `<a rel="${rel}" href="${escape(href)}"><span>${escape(name)}</span></a>`;
  return (html, file) => {
    const i = files.get(file);
    if (i === undefined) return html;
    const page = saved[i];
    const prev =
      i === 0 ? link("prev", "./", "Scenarios") : link("prev", `./${saved[i - 1].name}`, saved[i - 1].scenario.title);
    const next =
      i < saved.length - 1 ? link("next", `./${saved[i + 1].name}`, saved[i + 1].scenario.title) : (after ?? "");
    const rewrites: ReadonlyArray<readonly [RegExp, string, string]> = [
      [
        /<title>[^<]*<\/title>/,
        `<title>${escape(page.scenario.title)} | LTV Atlas</title>\n<meta name="description" content="${escape(scenarioDescription(page))}">`,
        "<title>",
      ],
      [
        /<li class="observablehq-link"><a href="\.\/">Scenarios<\/a><\/li>/,
        '<li class="observablehq-link observablehq-link-active"><a href="./">Scenarios</a></li>',
        "sidebar link to the workbench",
      ],
      [/<footer id="observablehq-footer">/, `<footer id="observablehq-footer">\n<nav>${prev}${next}</nav>`, "footer"],
    ];
    let out = html;
    for (const [pattern, replacement, what] of rewrites) {
      if (!pattern.test(out))
        throw new Error(`${file}: Framework's page shell changed, no ${what} for the saved scenario`);
      out = out.replace(pattern, () => replacement);
    }
    return out;
  };
}
