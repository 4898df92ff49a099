// Real Chromium (the Debian package) driven by playwright-core, for end-to-end tests.
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOT_DIR = path.resolve("test-results", "screenshots");

if (!hasChromium && process.env.CI === "true") {
  throw new Error(`Chromium is required under CI=true but ${CHROMIUM} is missing (apt-get install -y chromium).`);
}
if (!hasChromium) process.stderr.write(`End-to-end tests are SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium).\n`);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
