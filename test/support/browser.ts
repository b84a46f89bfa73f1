// Headless Chromium for the report and dashboard tests: Debian's chromium,
// driven by playwright-core (no browser download). Every page records its
// console errors, uncaught exceptions, and any request it makes to anything
// but its own file or origin, which the tests expect to be none.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { expect } from "vitest";
import type { Browser, Page } from "playwright-core";
import { onCleanup, requireBinary } from "../host/real-parts.js";

/** Where tests write screenshots (not committed; CI keeps them as artifacts). */
export const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));

let browser: Browser | undefined;

async function launched(): Promise<Browser> {
  if (browser === undefined) {
    const b = await chromium.launch({ executablePath: requireBinary("chromium", "chromium"), args: ["--no-sandbox", "--disable-gpu"] });
    browser = b;
    onCleanup(async () => {
      browser = undefined;
      await b.close();
    });
  }
  return browser;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught exceptions, in order. */
  errors: string[];
  /** Requests the page made outside its own file or origin (refused). */
  outside: string[];
}

/** Opens `url` at the given viewport; requests that leave `allowed` (the page's own file or origin) are refused and recorded. */
export async function openPage(url: string, viewport = { width: 1280, height: 720 }): Promise<OpenedPage> {
  const context = await (await launched()).newContext({ viewport });
  onCleanup(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  const outside: string[] = [];
  const own = url.startsWith("file:") ? url : new URL(url).origin;
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.route("**/*", (route) => {
    const requested = route.request().url();
    if (requested === own || requested.startsWith(`${own}/`) || requested.startsWith("data:")) return route.continue();
    outside.push(requested);
    return route.abort();
  });
  await page.goto(url);
  return { page, errors, outside };
}

/** What a page must never do: log an error, throw, or reach beyond its own file or origin. */
export function expectQuiet(opened: Pick<OpenedPage, "errors" | "outside">): void {
  expect(opened.errors).toEqual([]);
  expect(opened.outside).toEqual([]);
}

/** Saves a screenshot of the page under test-artifacts/. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
