// Observable Framework configuration for LTV Atlas. See README.md for the data flow.
export default {
  title: "LTV Atlas",
  root: "src",
  // ATLAS_OUT lets tests build a second copy of the site without touching dist/.
  output: process.env.ATLAS_OUT ?? "dist",
  pages: [
    { name: "Overview", path: "/" },
    { name: "Models", path: "/models" },
    { name: "Cohort retention", path: "/cohorts" },
    { name: "Pareto / ABC", path: "/pareto" },
    { name: "Segment economics", path: "/segments" },
    { name: "Account explorer", path: "/accounts" },
    { name: "Scenarios", path: "/scenarios/" },
    { name: "Data quality", path: "/quality" },
  ],
  // One executive page per saved scenario of this data: <config's "scenarios" folder>/<name>.json
  // → /scenarios/<name> (src/scenarios/[name].md; validated by src/data/scenario-saved.json.ts).
  // scripts/build.ts passes the folder as ATLAS_SCENARIOS ("" = none); a bare preview uses the sample's.
  async *dynamicPaths() {
    const { readdirSync, existsSync } = await import("node:fs");
    const configured = process.env.ATLAS_SCENARIOS;
    if (configured === "") return;
    const dir = configured ?? new URL("./data/scenarios/", import.meta.url);
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir).sort()) if (file.endsWith(".json")) yield `/scenarios/${file.slice(0, -5)}`;
  },
  // The default stylesheet list loads a font from Google; the site must make no request to
  // another origin, so we use Framework's own theme CSS and the system font stack only.
  globalStylesheets: [],
  // An inline empty icon: otherwise browsers request /favicon.ico (a 404 in the console).
  // Content-Security-Policy: this origin only. Framework 1.13 writes two inline scripts per
  // page (the page's module and the sidebar toggle): scripts/build.ts adds their SHA-256
  // hashes to script-src of every built page, which makes browsers ignore 'unsafe-inline'
  // (kept only for `observable preview`, which has no such step). 'wasm-unsafe-eval' lets
  // DuckDB-WASM compile its module; its worker and chart exports use blob: URLs. Inline styles
  // are Plot's and Inputs' style attributes.
  head:
    '<meta http-equiv="Content-Security-Policy" content="' +
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; " +
    "object-src 'none'; base-uri 'self'; form-action 'none'" +
    '"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">',
  footer: "LTV Atlas — built from your CRM extracts; every figure links to its definition.",
  // Framework's default CSS with the air (light) and near-midnight (dark) themes, chosen by
  // the reader's system setting, plus our KPI and table rules; see src/atlas.css.
  style: "atlas.css",
  search: false,
};
