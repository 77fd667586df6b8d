/**
 * A filterable view of every quarantined row, queried in the browser with DuckDB-WASM.
 * The engine starts only when the explorer scrolls into view, so the page's summary never
 * waits for it. Filters reach SQL as bound parameters. An aggregate-only build ships no
 * quarantined row: the explorer is then the note saying so, and the engine never starts.
 */
import { html } from "htl";
import { aggregateOnlyNote } from "./aggregate-only.js";
import { dataTable, select, textInput } from "./controls.js";
import { startDuckDB, type AtlasDb } from "./duckdb.js";

interface ArrowFile {
  arrayBuffer(): Promise<ArrayBuffer>;
}

interface QuarantineRow {
  extract: string;
  line: number;
  code: string;
  column_name: string;
  message: string;
  raw: string;
}

export function quarantineExplorer(
  file: ArrowFile,
  { aggregateOnly = false }: { aggregateOnly?: boolean } = {},
): HTMLElement {
  if (aggregateOnly)
    return html`<div data-explorer>
      ${aggregateOnlyNote("Quarantined rows are not shipped; the counts and reasons above are complete.")}
    </div>` as HTMLElement;
  const status = html`<p class="chart-caption" data-explorer-status>
    The query engine starts when this section is visible…
  </p>` as HTMLElement;
  const controls = html`<div></div>` as HTMLElement;
  const results = html`<div data-explorer-results></div>` as HTMLElement;
  const root = html`<div data-explorer>${status}${controls}${results}</div>` as HTMLElement;

  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((e) => e.isIntersecting)) return;
    observer.disconnect();
    open(file, status, controls, results).catch((error: unknown) => {
      status.textContent = `The query engine could not start: ${(error as Error).message}`;
      status.dataset.explorerStatus = "error";
    });
  });
  observer.observe(root);
  return root;
}

async function open(file: ArrowFile, status: HTMLElement, controls: HTMLElement, results: HTMLElement): Promise<void> {
  status.textContent = "Loading the quarantined rows…";
  const db = await startDuckDB();
  await db.loadArrow("quarantine", new Uint8Array(await file.arrayBuffer()));
  const extracts = (
    await db.query<{ extract: string }>("SELECT DISTINCT extract FROM quarantine ORDER BY extract")
  ).map((r) => r.extract);
  const [{ n }] = await db.query<{ n: number }>("SELECT count(*)::INTEGER AS n FROM quarantine");
  // Plain words for readers: what was set aside, not how the engine did (issue 15).
  status.textContent =
    n === 0
      ? "No rows were quarantined."
      : n === 1
        ? "1 row was quarantined; search it below."
        : `${n.toLocaleString("en-US")} rows were quarantined; search them below.`;

  const extract = select(["(all)", ...extracts], { label: "Extract" });
  const search = textInput({ label: "Message contains", placeholder: "e.g. duplicate" });
  controls.replaceChildren(extract, search);
  const refresh = () => render(db, extract.value, search.value, results);
  extract.addEventListener("input", refresh);
  search.addEventListener("input", refresh);
  await refresh();
  // Ready once the first results are drawn, so a reader (or a test) never sees an empty list as the answer.
  status.dataset.explorerStatus = "ready";
}

async function render(db: AtlasDb, extract: string, search: string, results: HTMLElement): Promise<void> {
  const rows = await db.query<QuarantineRow>(
    `SELECT extract, line, code, column_name, message, raw FROM quarantine
     WHERE (CAST(? AS VARCHAR) = '(all)' OR extract = CAST(? AS VARCHAR))
       AND (CAST(? AS VARCHAR) = '' OR contains(lower(message), lower(CAST(? AS VARCHAR))))
     ORDER BY extract, line LIMIT 1000`,
    [extract, extract, search, search],
  );
  results.replaceChildren(
    rows.length === 0
      ? (html`<p>No quarantined row matches.</p>` as HTMLElement)
      : dataTable(rows, {
          columns: {
            extract: "extract",
            line: "line",
            code: "code",
            column_name: "column",
            message: "message",
            raw: "row as read",
          },
          format: { raw: (text: string) => (text.length > 160 ? `${text.slice(0, 160)}…` : text) },
          rowsShown: 12,
          maxRows: 1000,
        }),
  );
}
