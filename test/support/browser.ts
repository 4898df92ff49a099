// Real Chromium (the Debian package) driven by playwright-core, for end-to-end tests.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { expect } from "vitest";
import { createClient } from "../../src/client/client.js";
import { nextAuthenticatorCode, signInWithAuthenticator } from "./admin-authenticator.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const SCREENSHOT_DIR = path.resolve("test-results", "screenshots");

if (!hasChromium && process.env.CI === "true") {
  throw new Error(`Chromium is required under CI=true but ${CHROMIUM} is missing (apt-get install -y chromium).`);
}
if (!hasChromium) process.stderr.write(`End-to-end tests are SKIPPED: ${CHROMIUM} is missing (apt-get install -y chromium).\n`);

const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Chromium with a profile on disk in `profileDir`: not incognito, as a person's browser is (what installing an app needs). */
export function launchChromiumWithProfile(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  // A full-page capture of a scrolled page draws the sticky header where the view was, over the
  // content: capture from the top, then put the view back.
  type View = { scrollY: number; scrollTo(x: number, y: number): void };
  const scrolledTo = await page.evaluate(() => {
    const view = globalThis as unknown as View;
    const y = view.scrollY;
    view.scrollTo(0, 0);
    return y;
  });
  await page.screenshot({ path: file, fullPage: true });
  await page.evaluate((y) => (globalThis as unknown as View).scrollTo(0, y), scrolledTo);
  return file;
}

/**
 * Chromium's own notice when a page subscribes to Web Push in an incognito context (every
 * Playwright context is one): the app registers for push without a subscription then, as it should.
 */
const INCOGNITO_PUSH_NOTICE = /does not support the Push API in incognito mode/;

/** Collects the page's uncaught errors and console errors into `errors`, for a test that expects none. */
export function recordPageErrors(page: Page, errors: string[]): void {
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !INCOGNITO_PUSH_NOTICE.test(message.text())) errors.push(`${message.text()} (${message.location().url})`);
  });
}

export interface BrowserView {
  readonly colorScheme: "light" | "dark";
  readonly locale: string;
  readonly width: number;
}

/** A new browser context in the given language, theme and width, signed in on "My entries" (auditors: on the audit log, `landing`). */
export async function signInAs(
  browser: Browser,
  serverUrl: string,
  credentials: { username: string; password: string },
  view: BrowserView,
  options: { grantClipboard?: boolean; landing?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({ locale: view.locale, colorScheme: view.colorScheme, viewport: { width: view.width, height: 900 } });
  if (options.grantClipboard === true) await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: serverUrl });
  const page = await context.newPage();
  const isFrench = view.locale.startsWith("fr");
  await page.goto(`${serverUrl}/sign-in`);
  await page.getByLabel(isFrench ? "Nom d’utilisateur" : "Username").fill(credentials.username);
  await page.getByLabel(isFrench ? "Mot de passe" : "Password").fill(credentials.password);
  await page.getByRole("button", { name: isFrench ? "Se connecter" : "Sign in" }).click();
  const landing = page.getByTestId(options.landing ?? "entries-page");
  const secondStep = page.getByTestId("second-step-code");
  const enrolment = page.getByTestId("enrolment-required");
  await landing.or(secondStep).or(enrolment).first().waitFor();
  if (await secondStep.isVisible()) {
    // An administrator this suite's test authenticator enrolled (admin-authenticator.ts).
    await secondStep.fill(await nextAuthenticatorCode(serverUrl, credentials.username));
    await secondStep.press("Enter");
  } else if (await enrolment.isVisible()) {
    // An administrator once others use the vault must enrol first: the test authenticator does, through the API.
    await signInWithAuthenticator(serverUrl, createClient({ baseUrl: serverUrl }), { ...credentials, client: "cli" });
    await page.getByTestId("enrolment-continue").click();
    await expect.poll(() => enrolment.isVisible(), { timeout: 10_000 }).toBe(false);
    await page.goto(`${serverUrl}/`);
  }
  await landing.waitFor();
  return page;
}

/**
 * Waits for `code` to show a six-digit code, then checks it is the one oathtool computes for
 * `seed` at the same moment, trying again across a period boundary (30 seconds unless `period` says).
 * `now` is the server's time in milliseconds, for a server whose clock a test moves.
 */
export async function expectOathtoolCode(page: Page, code: Locator, seed: string, period = 30, now: () => number = Date.now): Promise<void> {
  const shownCode = async () => ((await code.textContent()) ?? "").replace(/\s/g, "");
  await expect.poll(shownCode, { timeout: 10_000 }).toMatch(/^\d{6}$/);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const shown = await shownCode();
    const expected = execFileSync("oathtool", ["--totp", "-b", "-s", `${period}s`, "-N", `@${Math.floor(now() / 1000)}`, seed], { encoding: "utf8" }).trim();
    if (shown === expected) return;
    if (attempt === 2) expect(shown).toBe(expected);
    await page.waitForTimeout(1500);
  }
}

/**
 * Waits for the page's transitions and animations to end, as a screenshot or an axe check wants.
 * Endless ones (a busy button's spinner) are not waited for: their `finished` never comes. One
 * cancelled meanwhile (its element re-rendered) rejects `finished` with an AbortError: it is over too.
 */
export async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate("Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined)))");
}

/**
 * What a screenshot sweep reports of a page, labelled: wider than the screen, or showing a
 * catalogue key where a sentence should be (a key under one of `namespaces`, as "account.push.title").
 */
export async function layoutProblemsOf(page: Page, label: string, namespaces: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
  if (overflow > 0) problems.push(`${label}: ${overflow}px wider than the screen`);
  const text = await page.evaluate<string>("document.body.innerText");
  const key = new RegExp(`\\b(?:${namespaces.join("|")})\\.[a-zA-Z]+\\.[a-zA-Z.]+\\b`).exec(text);
  if (key !== null) problems.push(`${label}: shows the key ${key[0]}`);
  return problems;
}
