/**
 * Publish mode, applied to the tables in DuckDB just before the store is written, so that
 * every page's loader — whoever wrote it — reads only what may leave the building:
 *
 * - account names become stable pseudonyms ("Account 0042": the account's rank in account-id
 *   order, zero-padded) in `dim_accounts` and the accounts extract alike, so every page
 *   that shows a name shows the same pseudonym for the same account;
 * - personal columns (`personal: true` in ingest/schema.ts: contact name, e-mail, phone,
 *   notes, NPS comments) are emptied, and key-account manager names become "Manager 03";
 * - quarantined rows lose their personal values: the pseudonym replaces a known account's
 *   name, other personal keys are removed, and a row that could not be split into columns
 *   (its raw text may hold anything) is withheld; the report's examples are re-read from there;
 * - aggregate-only mode also empties the report's per-row examples (pages must ship no
 *   per-account rows: they check `publish.aggregateOnly` in the quality JSON).
 *
 * Pseudonyms come from the order of account ids, not a clock or random key: the same extracts
 * give the same pseudonyms and a byte-identical site.
 */
import type { PublishMode } from "../config.js";
import { ident, literal, type Db } from "../db.js";
import type { IngestReport } from "../ingest/index.js";
import { EXTRACTS, EXTRACT_NAMES } from "../ingest/schema.js";

export const WITHHELD = "(withheld in a published build)";

/** Columns emptied in publish mode, per extract: every personal one but the free text the config keeps. */
export function personalColumns(keepText: readonly string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of EXTRACT_NAMES) {
    const cols = EXTRACTS[name].columns
      .filter((c) => c.personal && !keepText.includes(`${name}.${c.name}`))
      .map((c) => c.name);
    if (cols.length) out[name] = cols;
  }
  return out;
}

export async function applyPublishMode(db: Db, report: IngestReport, mode: PublishMode): Promise<IngestReport> {
  if (!mode.pseudonymize && !mode.aggregateOnly) return report;
  const [{ n }] = await db.all<{ n: string }>("SELECT count(*) AS n FROM dim_accounts");
  const width = Math.max(4, String(Number(n)).length);
  await db.run(`
    CREATE OR REPLACE TABLE publish_pseudonyms AS
    SELECT account_id, 'Account ' || lpad(CAST(row_number() OVER (ORDER BY account_id) AS VARCHAR), ${width}, '0') AS pseudonym
    FROM dim_accounts`);
  await db.run(`
    CREATE OR REPLACE TABLE publish_managers AS
    SELECT manager, 'Manager ' || lpad(CAST(row_number() OVER (ORDER BY manager) AS VARCHAR), 2, '0') AS pseudonym
    FROM (SELECT DISTINCT key_account_manager AS manager FROM final_accounts WHERE key_account_manager IS NOT NULL)`);
  await db.run(
    `UPDATE dim_accounts d SET account_name = p.pseudonym FROM publish_pseudonyms p WHERE p.account_id = d.account_id`,
  );

  const personal = personalColumns(mode.keepText);
  // Rejected account rows have no pseudonym: their name goes too.
  await db.run(`
    UPDATE final_accounts f SET
      account_name = (SELECT p.pseudonym FROM publish_pseudonyms p WHERE p.account_id = f.account_id AND f.reasons IS NULL),
      key_account_manager = (SELECT m.pseudonym FROM publish_managers m WHERE m.manager = f.key_account_manager),
      raw_json = NULL`);
  for (const [extract, columns] of Object.entries(personal)) {
    await db.run(`UPDATE final_${extract} SET ${columns.map((c) => `${ident(c)} = NULL`).join(", ")}, raw_json = NULL`);
  }

  // Quarantined rows: personal keys out, known names pseudonymised, unsplittable rows withheld.
  const removed = JSON.stringify(
    Object.fromEntries(
      [...new Set([...Object.values(personal).flat(), "account_name", "key_account_manager"])].map((c) => [c, null]),
    ),
  );
  // A line that could not be split may hold any column's text, of any extract: it is withheld.
  await db.run(`
    UPDATE quarantine q SET raw = CASE
      WHEN q.code = 'ragged_row' THEN to_json({'text': ${literal(WITHHELD)}})::VARCHAR
      WHEN q.extract = 'accounts' THEN json_merge_patch(json_merge_patch(q.raw, ${literal(removed)}),
        coalesce(to_json({'account_name': (SELECT p.pseudonym FROM publish_pseudonyms p WHERE p.account_id = json_extract_string(q.raw, '$.account_id'))})::VARCHAR, '{}'))::VARCHAR
      ELSE json_merge_patch(q.raw, ${literal(removed)})::VARCHAR
    END`);
  await db.run("DROP TABLE publish_pseudonyms; DROP TABLE publish_managers");

  const raws = new Map(
    (
      await db.all<{ extract: string; line: string; raw: string }>(
        "SELECT extract, line, left(raw, 400) AS raw FROM quarantine",
      )
    ).map((r) => [`${r.extract}:${r.line}`, r.raw]),
  );
  return {
    ...report,
    extracts: report.extracts.map((e) => ({
      ...e,
      reasons: e.reasons.map((r) => ({
        ...r,
        examples: mode.aggregateOnly
          ? []
          : r.examples.map((x) => ({ ...x, raw: raws.get(`${e.extract}:${x.line}`) ?? WITHHELD })),
      })),
    })),
  };
}
