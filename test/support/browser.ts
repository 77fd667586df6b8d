/**
 * Headless Chromium from Debian (/usr/bin/chromium) driven by playwright-core: never a
 * browser download. Every request is recorded so tests can prove the site stays on its
 * own origin; console errors and page errors are collected.
 */
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { serveStatic, type StaticServer } from "./serve.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Session {
  readonly context: BrowserContext;
  readonly requests: string[];
  readonly errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launch(): Promise<{
  browser: Browser;
  session: (options?: {
    colorScheme?: "light" | "dark";
    viewport?: { width: number; height: number };
  }) => Promise<Session>;
  close(): Promise<void>;
}> {
  // Playwright gives every launch a fresh, empty profile directory (the equivalent of a new --user-data-dir).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    browser,
    async session(options = {}) {
      const context = await browser.newContext({
        colorScheme: options.colorScheme ?? "light",
        viewport: options.viewport ?? { width: 1280, height: 900 },
      });
      const requests: string[] = [];
      const errors: string[] = [];
      context.on("request", (request) => requests.push(request.url()));
      return {
        context,
        requests,
        errors,
        async newPage() {
          const page = await context.newPage();
          page.on("console", (message) => {
            if (message.type() === "error") errors.push(`${page.url()}: console error: ${message.text()}`);
          });
          page.on("pageerror", (error) => errors.push(`${page.url()}: page error: ${error.message}`));
          return page;
        },
        close: () => context.close(),
      };
    },
    async close() {
      await browser.close();
    },
  };
}

export type Chromium = Awaited<ReturnType<typeof launch>>;

/** For a browser suite: Chromium and a static server of the built site `dist`, started before its tests and closed after them. */
export function useSite(dist: string): { readonly browser: Chromium; readonly server: StaticServer } {
  const site = {} as { browser: Chromium; server: StaticServer };
  beforeAll(async () => {
    site.browser = await launch();
    site.server = await serveStatic(dist);
  }, 60_000);
  afterAll(async () => {
    await site.server?.close();
    await site.browser?.close();
  });
  return site;
}

export interface Watched {
  readonly session: Session;
  readonly page: Page;
  readonly dialogs: string[];
  violations(): Promise<string[]>;
}

/** A page in a fresh session that records CSP violations (from the first script on) and dialogs, dismissing them. */
export async function watchedPage(browser: Chromium): Promise<Watched> {
  const session = await browser.session();
  await session.context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  const page = await session.newPage();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return {
    session,
    page,
    dialogs,
    violations: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
  };
}

/** Scrolls to the bottom in steps so that everything loaded on visibility() loads, then lets it settle. */
export async function settle(page: Page): Promise<void> {
  await page.locator("main h1").first().waitFor({ timeout: 30_000 });
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel(0, 1500);
    await page.waitForTimeout(150);
  }
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(500);
}

/** The session's requests to any origin other than the site's (data: and blob: URLs are the page's own). */
export function foreignRequests(session: Session, origin: string): string[] {
  return session.requests.filter(
    (url) => !url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:"),
  );
}
