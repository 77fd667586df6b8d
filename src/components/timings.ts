/**
 * What the analyst pages record about their own speed, on `window.__atlasAnalyst`, for
 * scripts/bench-pages.ts and the browser tests: when the first chart was on screen, when the
 * page went live, and per live re-render its duration and when its last query was answered.
 */
export interface AnalystTimings {
  firstChart?: number;
  interactive?: number;
  /** ms from a filter change to the re-rendered page (queries, drawing and one frame). */
  renders: number[];
  /** Per render, ms from its start to the engine's last answer (0: no query). */
  answers: number[];
  /** Time of the engine's latest answer (performance.now()). */
  lastAnswer?: number;
  seq: number;
}

declare global {
  interface Window {
    __atlasAnalyst?: AnalystTimings;
  }
}

export function timings(): AnalystTimings {
  window.__atlasAnalyst ??= { renders: [], answers: [], seq: 0 };
  return window.__atlasAnalyst;
}

/** Marks the first chart on screen (once). */
export function markFirstChart(): void {
  const t = timings();
  t.firstChart ??= performance.now();
}
