/**
 * The data-quality page's summary: the ingest report as written by the pipeline (rows read,
 * accepted and quarantined per extract, reasons with examples, money reconciliation, date
 * coverage). Small: examples are capped at three per reason.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { IngestReport } from "../ingest/index.js";
import { STORE_FILES } from "../store.js";

export type QualityData = IngestReport;

export function buildQuality(storeDir: string): QualityData {
  return JSON.parse(readFileSync(path.join(storeDir, STORE_FILES.report), "utf8")) as IngestReport;
}
