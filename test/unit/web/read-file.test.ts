import { describe, expect, it } from "vitest";
import { bytesToBase64, firstImageFile, isImageFile, readFileAsBase64 } from "../../../web/src/ui/read-file.js";

describe("reading a file for upload", () => {
  it("encodes bytes as base64", () => {
    expect(bytesToBase64(new Uint8Array([]))).toBe("");
    expect(bytesToBase64(new TextEncoder().encode("Watchword"))).toBe("V2F0Y2h3b3Jk");
  });

  it("encodes files larger than one chunk exactly as Node does", async () => {
    const bytes = new Uint8Array(300_001).map((_, i) => (i * 31 + 7) % 256);
    const file = new Blob([bytes], { type: "image/png" });
    expect(await readFileAsBase64(file)).toBe(Buffer.from(bytes).toString("base64"));
  });

  it("recognises the QR image types the server decodes", () => {
    const png = new File([new Uint8Array([1])], "qr.png", { type: "image/png" });
    const text = new File(["otpauth://"], "a.txt", { type: "text/plain" });
    const svg = new File(["<svg/>"], "a.svg", { type: "image/svg+xml" });
    expect(isImageFile(png)).toBe(true);
    expect(isImageFile(svg)).toBe(false);
    expect(firstImageFile([text, svg, png])).toBe(png);
    expect(firstImageFile([text])).toBeUndefined();
    expect(firstImageFile(null)).toBeUndefined();
  });
});
