/**
 * The whole scenario in the URL: `?s=` + base64url(UTF-8 JSON of the scenario), the JSON
 * carrying its `version`. Decoding validates everything (./model.ts): a damaged, outdated or
 * foreign link yields a message for the page to show, and the baseline (an empty ledger).
 * Values from the URL only ever become numbers and labels checked against the data.
 */
import { emptyScenario, ScenarioError, validateScenario, type Scenario, type SegmentDictionary } from "./ledger.js";

export const URL_PARAM = "s";
/** Links longer than this are refused (browsers and chat tools truncate long URLs). */
export const MAX_ENCODED_LENGTH = 16_000;

/** The longest reason a note about a link gives. */
export const MAX_MESSAGE_LENGTH = 300;

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64Url(encoded: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error("not base64url");
  const padded = encoded.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (encoded.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

/**
 * The query string for a scenario ("" for the baseline: no adjustments and the default title).
 * The scenario is written in its canonical form (the key order validation produces), so a
 * reopened link encodes to the very same URL.
 */
export function encodeScenarioSearch(scenario: Scenario): string {
  if (scenario.ledger.length === 0 && scenario.title === emptyScenario().title && scenario.description === undefined)
    return "";
  let canonical: Scenario = scenario;
  try {
    canonical = validateScenario(scenario);
  } catch {
    // Not expected from the page's own state; keep what we have rather than lose it.
  }
  return `?${URL_PARAM}=${toBase64Url(JSON.stringify(canonical))}`;
}

export interface DecodedScenario {
  readonly scenario: Scenario;
  /** Null when the link was fine (or had no scenario); otherwise what went wrong, in plain words. */
  readonly message: string | null;
}

export function decodeScenarioSearch(search: string, dictionary?: SegmentDictionary): DecodedScenario {
  const value = new URLSearchParams(search).get(URL_PARAM);
  if (value === null || value === "") return { scenario: emptyScenario(), message: null };
  const fail = (why: string): DecodedScenario => ({
    scenario: emptyScenario(),
    message: `This link's scenario could not be opened (${why}); showing the baseline instead.`,
  });
  if (value.length > MAX_ENCODED_LENGTH) return fail("it is too long");
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(value));
  } catch {
    return fail("it is damaged: perhaps it was cut off when copied");
  }
  try {
    return { scenario: validateScenario(json, { dictionary }), message: null };
  } catch (error) {
    if (error instanceof ScenarioError) {
      if (error.field === "version") return fail("it was made for another version of this page");
      // The message may quote the link's own text: it is cut, as is every value it echoes.
      return fail(
        error.message.length > MAX_MESSAGE_LENGTH ? `${error.message.slice(0, MAX_MESSAGE_LENGTH)}…` : error.message,
      );
    }
    throw error;
  }
}
