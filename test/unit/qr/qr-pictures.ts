// Test pictures of QR codes, made on the fly: codes drawn by `qrcode`, then turned into the
// screenshots and phone photos people upload (small, rotated, in perspective, blurred, compressed,
// inverted, on a noisy background, several per picture) with sharp and a small perspective warp.
// Everything is seeded, so every run sees the same pixels.

import QRCode from "qrcode";
import sharp from "sharp";

export const TOTP_URI = "otpauth://totp/ACME%20Co:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co";
export const HOTP_URI = "otpauth://hotp/Registrar:ops@example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Registrar&counter=7";

/** A Google Authenticator export of three accounts (the protobuf of its `otpauth-migration` URIs). */
export const MIGRATION_URI = migrationUri([
  { secret: Buffer.from("12345678901234567890"), name: "alice@example.com", issuer: "ACME Co" },
  { secret: Buffer.from("secret-of-the-aws-root"), name: "root", issuer: "AWS" },
  { secret: Buffer.from("bank-portal-seed!"), name: "treasury@example.com", issuer: "Bank" },
]);

export interface TestPicture {
  readonly name: string;
  readonly bytes: Buffer;
  /** The texts a good decoder returns, in reading order. */
  readonly expected: readonly string[];
}

export interface Grey {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** Every picture the decoders are compared on; each one is a way real uploads go wrong. */
export async function makeTestPictures(): Promise<TestPicture[]> {
  const totp = await qrPng(TOTP_URI, 8);
  const migration = await qrPng(MIGRATION_URI, 6);
  const totpGrey = await greyOf(totp);
  const migrationGrey = await greyOf(migration);
  const white = { r: 255, g: 255, b: 255, alpha: 1 };
  const pictures: TestPicture[] = [];
  const add = (name: string, bytes: Buffer, ...expected: string[]): void => void pictures.push({ name, bytes, expected });

  add("clean PNG screenshot", totp, TOTP_URI);
  add("migration export PNG", migration, MIGRATION_URI);
  add("small (120 px)", await sharp(totp).resize(120, 120, { kernel: "linear" }).png().toBuffer(), TOTP_URI);
  add("rotated 17°", await sharp(totp).rotate(17, { background: white }).png().toBuffer(), TOTP_URI);
  add("rotated 90°, JPEG", await sharp(migration).rotate(90).jpeg({ quality: 85 }).toBuffer(), MIGRATION_URI);
  add("sheared (affine)", await sharp(totp).affine([1, 0.35, 0.1, 1], { background: white }).png().toBuffer(), TOTP_URI);
  add(
    "perspective photo",
    await photograph(migrationGrey, { corners: [[140, 90], [610, 150], [580, 620], [90, 560]], seed: 1 }),
    MIGRATION_URI,
  );
  add(
    "steep perspective photo",
    await photograph(totpGrey, { corners: [[120, 200], [560, 60], [600, 700], [150, 520]], seed: 2 }),
    TOTP_URI,
  );
  add("Gaussian blur (σ 3)", await sharp(totp).blur(3).png().toBuffer(), TOTP_URI);
  add("blurred photo (σ 2.5)", await photograph(migrationGrey, { seed: 3, blur: 2.5 }), MIGRATION_URI);
  add("JPEG quality 20", await sharp(migration).resize(420).jpeg({ quality: 20 }).toBuffer(), MIGRATION_URI);
  add("inverted (light on dark)", await sharp(totp).negate({ alpha: false }).png().toBuffer(), TOTP_URI);
  add(
    "noisy photo with uneven light",
    await photograph(totpGrey, { seed: 4, noise: 45, light: [0.35, 1.15], corners: [[200, 160], [520, 190], [500, 500], [180, 470]] }),
    TOTP_URI,
  );
  add("two codes side by side", await sideBySide(totp, migration), TOTP_URI, MIGRATION_URI);
  add("two codes stacked, the lower one further left", await stacked(totp, await qrPng(HOTP_URI, 8)), TOTP_URI, HOTP_URI);
  add("sideways photo with EXIF orientation 6", await exifRotated(await sideBySide(totp, migration)), TOTP_URI, MIGRATION_URI);
  add("app screenshot with text around the code", await appScreenshot(totp), TOTP_URI);
  add("WebP (lossy)", await sharp(totp).rotate(8, { background: white }).webp({ quality: 50 }).toBuffer(), TOTP_URI);
  add("animated GIF, code on the first frame", await animatedGif(totp, await qrPng(HOTP_URI, 8)), TOTP_URI);
  add("12-megapixel phone photo, code 130 px wide", await largePhoto(totpGrey), TOTP_URI);
  // The ones below defeat a single pass of either decoder; the clean-up passes read them.
  add("out of focus (Gaussian blur σ 5)", await sharp(totp).blur(5).png().toBuffer(), TOTP_URI);
  add("100 px and blurred", await sharp(totp).resize(100).blur(1.2).png().toBuffer(), TOTP_URI);
  add("washed out (contrast 15 of 255)", await sharp(totp).linear(15 / 255, 120).blur(1).png().toBuffer(), TOTP_URI);
  add("heavy sensor noise", await withNoise(totpGrey, 125, 7), TOTP_URI);
  return pictures;
}

/** A black-on-white code as a PNG; `scale` pixels per module, 4-module quiet zone. */
export async function qrPng(text: string, scale: number): Promise<Buffer> {
  return QRCode.toBuffer(text, { scale, margin: 4, errorCorrectionLevel: "M" });
}

export async function greyOf(png: Buffer): Promise<Grey> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const grey = new Uint8Array(info.width * info.height);
  for (let i = 0; i < grey.length; i++) grey[i] = data[i * info.channels] ?? 0;
  return { data: grey, width: info.width, height: info.height };
}

interface PhotoOptions {
  /** The frame, 720 × 720 unless given. */
  readonly size?: readonly [number, number];
  /** Where the code's corners land (top-left, top-right, bottom-right, bottom-left) in the frame. */
  readonly corners?: readonly (readonly [number, number])[];
  readonly seed: number;
  /** Light falling from top-left to bottom-right, as factors on the paper's brightness. */
  readonly light?: readonly [number, number];
  readonly noise?: number;
  readonly blur?: number;
}

/**
 * A phone photo of a code printed on paper lying on a desk: the paper in perspective, light
 * falling unevenly, sensor noise, slight defocus and a camera's JPEG compression.
 */
async function photograph(code: Grey, options: PhotoOptions): Promise<Buffer> {
  const [width, height] = options.size ?? [720, 720];
  const corners = options.corners ?? [[150, 130], [590, 110], [610, 580], [130, 600]];
  const [lightFrom, lightTo] = options.light ?? [0.75, 1];
  const noise = options.noise ?? 12;
  const random = seededRandom(options.seed);
  const toCode = homography(corners, [[0, 0], [code.width, 0], [code.width, code.height], [0, code.height]]);
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const light = lightFrom + ((lightTo - lightFrom) * (x + y)) / (width + height);
      const [u, v] = project(toCode, x + 0.5, y + 0.5);
      const onPaper = u >= 0 && v >= 0 && u < code.width - 1 && v < code.height - 1;
      // The desk: a warm wood-like gradient with a grain.
      const desk = 120 + 40 * Math.sin((x + 3 * y) / 37) + 20 * Math.sin(y / 5);
      const paper = onPaper ? bilinear(code, u, v) : -1;
      const base = onPaper ? [paper, paper * 0.98, paper * 0.94] : [desk, desk * 0.75, desk * 0.5];
      for (let c = 0; c < 3; c++) {
        const value = (base[c] ?? 0) * light + (random() - 0.5) * 2 * noise;
        rgb[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .blur(options.blur ?? 0.7)
    .jpeg({ quality: 72 })
    .toBuffer();
}

/**
 * A 4000 × 3000 photo of a desk with the code small in the middle, as a phone takes it from afar;
 * without a code, the most work a picture of the default size limits can ask for.
 */
export async function largePhoto(code?: Grey): Promise<Buffer> {
  const tile =
    code && (await photograph(code, { size: [200, 200], corners: [[35, 38], [166, 33], [170, 165], [32, 168]], seed: 5, blur: 0.6 }));
  // Soft blotches of light and colour: a few random pixels blown up to the whole frame.
  const random = seededRandom(6);
  const blotches = Buffer.from(Array.from({ length: 16 * 12 * 3 }, (_, i) => 90 + random() * 80 - (i % 3) * 25));
  return sharp(blotches, { raw: { width: 16, height: 12, channels: 3 } })
    .resize(4000, 3000, { kernel: "cubic" })
    .composite(tile ? [{ input: tile, left: 1900, top: 1400 }] : [])
    .jpeg({ quality: 85 })
    .toBuffer();
}

/** Grain as a phone shows it in a dim room: ± `amount` on every pixel. */
async function withNoise(code: Grey, amount: number, seed: number): Promise<Buffer> {
  const random = seededRandom(seed);
  const noisy = Uint8Array.from(code.data, (value) => Math.max(0, Math.min(255, value + (random() - 0.5) * 2 * amount)));
  return sharp(noisy, { raw: { width: code.width, height: code.height, channels: 1 } }).png().toBuffer();
}

type Matrix = readonly number[];

/** The projective transform (3 × 3, last entry 1) taking each `from` corner to its `to` corner. */
function homography(from: readonly (readonly [number, number])[], to: readonly (readonly [number, number])[]): Matrix {
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i] ?? [0, 0];
    const [u, v] = to[i] ?? [0, 0];
    rows.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    rows.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  // Gauss–Jordan elimination with partial pivoting on the 8 × 9 augmented matrix.
  for (let col = 0; col < 8; col++) {
    let pivot = col;
    for (let r = col + 1; r < 8; r++) if (Math.abs(rows[r]![col]!) > Math.abs(rows[pivot]![col]!)) pivot = r;
    [rows[col], rows[pivot]] = [rows[pivot]!, rows[col]!];
    const lead = rows[col]!;
    const divisor = lead[col]!;
    for (let c = 0; c < 9; c++) lead[c]! /= divisor;
    for (let r = 0; r < 8; r++) {
      if (r === col) continue;
      const row = rows[r]!;
      const factor = row[col]!;
      for (let c = 0; c < 9; c++) row[c]! -= factor * lead[c]!;
    }
  }
  return [...rows.map((row) => row[8]!), 1];
}

function project(m: Matrix, x: number, y: number): [number, number] {
  const w = m[6]! * x + m[7]! * y + m[8]!;
  return [(m[0]! * x + m[1]! * y + m[2]!) / w, (m[3]! * x + m[4]! * y + m[5]!) / w];
}

function bilinear(image: Grey, u: number, v: number): number {
  const x = Math.floor(u);
  const y = Math.floor(v);
  const fx = u - x;
  const fy = v - y;
  const at = (dx: number, dy: number): number => image.data[(y + dy) * image.width + x + dx] ?? 255;
  return (at(0, 0) * (1 - fx) + at(1, 0) * fx) * (1 - fy) + (at(0, 1) * (1 - fx) + at(1, 1) * fx) * fy;
}

/** Mulberry32: a small seeded generator, so that the noise is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function sideBySide(left: Buffer, right: Buffer): Promise<Buffer> {
  const [l, r] = await Promise.all([sharp(left).metadata(), sharp(right).metadata()]);
  const width = (l.width ?? 0) + (r.width ?? 0) + 60;
  const height = Math.max(l.height ?? 0, r.height ?? 0) + 40;
  return sharp({ create: { width, height, channels: 3, background: "#f4f4f4" } })
    .composite([
      { input: left, left: 20, top: 20 + Math.round(((r.height ?? 0) - (l.height ?? 0)) / 3) },
      { input: right, left: (l.width ?? 0) + 40, top: 20 },
    ])
    .png()
    .toBuffer();
}

async function stacked(upper: Buffer, lower: Buffer): Promise<Buffer> {
  const [u, l] = await Promise.all([sharp(upper).metadata(), sharp(lower).metadata()]);
  return sharp({ create: { width: 900, height: (u.height ?? 0) + (l.height ?? 0) + 60, channels: 3, background: "#ffffff" } })
    .composite([
      { input: upper, left: 900 - (u.width ?? 0) - 20, top: 20 },
      { input: lower, left: 20, top: (u.height ?? 0) + 40 },
    ])
    .png()
    .toBuffer();
}

/** Stored turned a quarter to the left, with the EXIF tag that tells viewers to turn it back. */
async function exifRotated(picture: Buffer): Promise<Buffer> {
  return sharp(picture).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 88 }).toBuffer();
}

/** A phone screenshot of a service's "set up your authenticator" page. */
async function appScreenshot(code: Buffer): Promise<Buffer> {
  const qr = await sharp(code).resize(260).png().toBuffer();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="390" height="844">
    <rect width="390" height="844" fill="#f7f7fa"/>
    <rect width="390" height="96" fill="#1f3a93"/>
    <text x="20" y="40" font-family="sans-serif" font-size="14" fill="#fff">9:41</text>
    <text x="20" y="78" font-family="sans-serif" font-size="22" fill="#fff">Security settings</text>
    <text x="20" y="140" font-family="sans-serif" font-size="18" fill="#111">Set up your authenticator app</text>
    <text x="20" y="168" font-family="sans-serif" font-size="14" fill="#444">1. Install an authenticator app on your phone.</text>
    <text x="20" y="190" font-family="sans-serif" font-size="14" fill="#444">2. Scan this QR code with the app.</text>
    <rect x="55" y="215" width="280" height="280" rx="12" fill="#fff" stroke="#ddd"/>
    <image x="65" y="225" width="260" height="260" href="data:image/png;base64,${qr.toString("base64")}"/>
    <text x="20" y="540" font-family="sans-serif" font-size="14" fill="#444">Can't scan it? Enter this key instead:</text>
    <text x="20" y="566" font-family="monospace" font-size="16" fill="#111">JBSW Y3DP EHPK 3PXP</text>
    <rect x="20" y="620" width="350" height="48" rx="8" fill="#1f3a93"/>
    <text x="150" y="650" font-family="sans-serif" font-size="16" fill="#fff">Continue</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

async function animatedGif(first: Buffer, second: Buffer): Promise<Buffer> {
  const frame = (png: Buffer): Promise<Buffer> => sharp(png).resize(300, 300).png().toBuffer();
  return sharp([await frame(first), await frame(second)], { join: { animated: true } })
    .gif({ delay: [500, 500] })
    .toBuffer();
}

/** A protobuf `MigrationPayload` (Google Authenticator's export) as an `otpauth-migration` URI. */
function migrationUri(accounts: readonly { secret: Buffer; name: string; issuer: string }[]): string {
  const varint = (n: number): number[] => {
    const out: number[] = [];
    for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
    out.push(n);
    return out;
  };
  const bytesField = (field: number, value: Uint8Array): number[] => [(field << 3) | 2, ...varint(value.length), ...value];
  const varintField = (field: number, value: number): number[] => [field << 3, ...varint(value)];
  const payload: number[] = [];
  for (const account of accounts) {
    const parameters = [
      ...bytesField(1, account.secret),
      ...bytesField(2, Buffer.from(account.name)),
      ...bytesField(3, Buffer.from(account.issuer)),
      ...varintField(4, 1), // SHA1
      ...varintField(5, 1), // six digits
      ...varintField(6, 2), // TOTP
    ];
    payload.push(...bytesField(1, Uint8Array.from(parameters)));
  }
  payload.push(...varintField(2, 1), ...varintField(3, 1), ...varintField(4, 0), ...varintField(5, 862_319_541));
  return `otpauth-migration://offline?data=${encodeURIComponent(Buffer.from(payload).toString("base64"))}`;
}
