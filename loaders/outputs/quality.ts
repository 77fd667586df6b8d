/**
 * The data-quality page's summary: the ingest report as written by the pipeline (rows read,
 * accepted and quarantined per extract, reasons with examples, money reconciliation, date
 * coverage). Small: examples are capped at three per reason.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { PublishMode } from "../config.js";
import type { IngestReport } from "../ingest/index.js";
import { readPublishMode, STORE_FILES } from "../store.js";

/**
 * The ingest report plus the publish mode the store was made in: in a published build the
 * examples carry no personal values, and with `publish.aggregateOnly` they are empty and the
 * quarantine explorer gets no rows (the page should say so instead of showing an empty table).
 */
export type QualityData = IngestReport & { readonly publish: PublishMode };

export function buildQuality(storeDir: string): QualityData {
  const report = JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport;
  return { ...report, publish: readPublishMode(storeDir) };
}
