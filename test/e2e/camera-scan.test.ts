// Camera scan in a real browser: Chromium's fake camera plays a video of a QR code (a Y4M file made
// here from a rendered QR), the add-entry dialog's Camera tab captures a frame, and the entry that
// appears gives oathtool's code.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import QRCode from "qrcode";
import sharp from "sharp";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import { CHROMIUM, expectOathtoolCode, hasChromium, screenshot } from "../support/browser.js";
import { cleanEnv, runCli, startServe, type ServeProcess } from "../support/cli.js";

const PASSWORD = "saffron-glacier-outpost-88";
const SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const WIDTH = 640;
const HEIGHT = 480;

/** A few frames of greyscale YUV 4:2:0 video (chroma neutral) showing `png` centred on white. */
async function qrVideo(png: Buffer, file: string): Promise<void> {
  const luma = await sharp(png).resize(360, 360).extend({ top: 60, bottom: 60, left: 140, right: 140, background: "#ffffff" }).greyscale().raw().toBuffer();
  if (luma.length !== WIDTH * HEIGHT) throw new Error(`unexpected frame size ${luma.length}`);
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  await fs.writeFile(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`), ...Array.from({ length: 10 }, () => frame)]));
}

describe.skipIf(!hasChromium)("adding an entry with the camera in Chromium", () => {
  let dataDir: string;
  let server: ServeProcess;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "watchword-e2e-camera-"));
    await runCli(["user", "add", "ada", "--role", "admin", "--password-stdin", "--data-dir", dataDir], { input: PASSWORD });
    server = await startServe(["--data-dir", dataDir], cleanEnv());
    const video = path.join(dataDir, "qr.y4m");
    await qrVideo(await QRCode.toBuffer(`otpauth://totp/Registrar:ops%40acme.example?secret=${SEED}&issuer=Registrar`, { margin: 4, width: 360 }), video);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("captures the QR code from the camera and shows the entry's live code", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(["camera"], { origin: server.url });
    const page = await context.newPage();
    await page.goto(`${server.url}/sign-in`);
    await page.getByLabel("Username").fill("ada");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("entries-page").waitFor();

    await page.getByTestId("add-entry").click();
    await page.getByTestId("tab-camera").click();
    await page.getByTestId("camera-start").click();
    await page.getByTestId("camera-capture").waitFor();
    await page.waitForTimeout(500); // let a frame reach the video element
    await screenshot(page, "add-entry-camera-en-light");
    await page.getByTestId("camera-capture").click();
    await page.getByTestId("qr-preview").waitFor({ timeout: 15_000 });
    await page.getByTestId("found-name").first().fill("Registrar ops");
    await page.getByTestId("confirm-add").click();
    await page.getByTestId("entry-added").waitFor();

    const row = page.getByTestId("entry-row").filter({ hasText: "Registrar ops" });
    await row.getByTestId("show-code").click();
    await expectOathtoolCode(page, row.getByTestId("entry-code"), SEED);
  });
});
