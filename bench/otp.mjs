// Code generation: Watchword's TOTP engine (compiled, from dist/node) against raw node:crypto
// HMAC-SHA1 (hmac.sha1) and against the otpauth library, each figure a ratio measured in the same
// run; otp.paired also alternates the three in short slices, so a neighbour's load on a shared
// machine weighs on all of them alike. Run `npm run build` (or `npx tsc -p tsconfig.build.json`) first.

import { createHmac, randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import { measureOpsPerSecond } from "./support/timed-loop.mjs";

const roundMs = 300;
const rounds = 7;
const pairedSlices = 15;
const pairedSliceOps = 5000;
const engineUrl = new URL("../dist/node/core/otp/", import.meta.url);

/** @typedef {(timeMs: number) => string} CodeAt */

async function loadEngine() {
  try {
    const [generate, uri, base32] = await Promise.all([
      import(new URL("generate.js", engineUrl).href),
      import(new URL("otpauth-uri.js", engineUrl).href),
      import(new URL("base32.js", engineUrl).href),
    ]);
    return { generateTotp: generate.generateTotp, parseSetupKey: uri.parseSetupKey, encodeBase32: base32.encodeBase32 };
  } catch (error) {
    throw new Error(`cannot load the compiled OTP engine from dist/node (run npm run build first): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Ops/s of one code per call, every call in a new time step (as hmac.sha1 changes its counter).
 * @param {CodeAt} codeAt
 * @param {number} [durationMs]
 */
function measureCodes(codeAt, durationMs = roundMs) {
  let timeMs = 1_700_000_000_000;
  let sink = 0;
  const opsPerSecond = measureOpsPerSecond(() => {
    timeMs += 30_000;
    sink ^= codeAt(timeMs).charCodeAt(5);
  }, durationMs);
  if (sink === -1) console.log(sink); // keeps the codes observable
  return opsPerSecond;
}

/** @returns {Promise<CodeAt>} */
async function setUpWatchword() {
  const { generateTotp, parseSetupKey, encodeBase32 } = await loadEngine();
  const { otp } = parseSetupKey(encodeBase32(randomBytes(20)));
  return (timeMs) => generateTotp(otp, timeMs).code;
}

/** @returns {Promise<CodeAt>} */
async function setUpOtpauth() {
  const totp = new OTPAuth.TOTP({ secret: new OTPAuth.Secret({ size: 20 }), algorithm: "SHA1", digits: 6, period: 30 });
  return (timeMs) => totp.generate({ timestamp: timeMs });
}

/**
 * The hmac.sha1 baseline's operation: HMAC-SHA1 of an 8-byte counter that changes every call.
 * @returns {() => void}
 */
function makeRawHmac() {
  const key = randomBytes(20);
  const counter = Buffer.alloc(8);
  let step = 0;
  return () => {
    counter.writeUInt32BE(step++ >>> 0, 4);
    rawSink ^= /** @type {number} */ (createHmac("sha1", key).update(counter).digest()[19]);
  };
}
let rawSink = 0;

/**
 * @typedef {object} PairedContext
 * @property {() => void} rawHmac
 * @property {CodeAt} watchword
 * @property {CodeAt} otpauth
 */

/**
 * The three loops of otp.paired, written out three times on purpose: each loop's call site then
 * sees one function only, where one shared loop would turn megamorphic and slow all three alike.
 * Each returns nanoseconds per operation over `n` operations.
 * @param {() => void} rawHmac
 * @param {number} n
 */
function timeRawHmac(rawHmac, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) rawHmac();
  return Number(process.hrtime.bigint() - start) / n;
}
/** @param {CodeAt} codeAt @param {number} n */
function timeWatchword(codeAt, n) {
  let timeMs = 1_700_000_000_000;
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink ^= codeAt((timeMs += 30_000)).charCodeAt(5);
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink === -1) console.log(sink);
  return elapsed / n;
}
/** @param {CodeAt} codeAt @param {number} n */
function timeOtpauth(codeAt, n) {
  let timeMs = 1_700_000_000_000;
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink ^= codeAt((timeMs += 30_000)).charCodeAt(5);
  const elapsed = Number(process.hrtime.bigint() - start);
  if (sink === -1) console.log(sink);
  return elapsed / n;
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;

/** @type {import("./run.mjs").Bench<PairedContext>} */
const paired = {
  name: "otp.paired",
  title: `generateTotp (value) and otpauth (extra) as multiples of raw HMAC-SHA1: median of ${pairedSlices} back-to-back triples of ${pairedSliceOps} operations each per round`,
  unit: "× hmac",
  extras: { "otpauth-lib": "× hmac" },
  rounds,
  setup: async () => ({ rawHmac: makeRawHmac(), watchword: await setUpWatchword(), otpauth: await setUpOtpauth() }),
  async run({ rawHmac, watchword, otpauth }) {
    /** @type {number[]} */
    const ours = [];
    /** @type {number[]} */
    const theirs = [];
    for (let i = 0; i < pairedSlices; i++) {
      // Each triple runs within ~50 ms, so a neighbour's load weighs on its three parts alike;
      // the median of the ratios drops the triples a burst of load or a GC landed in.
      const raw = timeRawHmac(rawHmac, pairedSliceOps);
      ours.push(raw / timeWatchword(watchword, pairedSliceOps));
      theirs.push(raw / timeOtpauth(otpauth, pairedSliceOps));
    }
    if (rawSink === -1) console.log(rawSink); // keeps the digests observable
    return { value: median(ours), "otpauth-lib": median(theirs) };
  },
};

/** @type {import("./run.mjs").Bench<any>[]} */
export default [
  {
    name: "otpauth-lib.totp",
    title: `otpauth ${OTPAuth.version} library TOTP.generate, SHA-1, 6 digits, 20-byte key, ${roundMs} ms rounds`,
    unit: "ops/s",
    baseline: "hmac.sha1",
    rounds,
    setup: setUpOtpauth,
    run: async (codeAt) => measureCodes(codeAt),
  },
  {
    name: "otp.totp",
    title: `Watchword generateTotp, SHA-1, 6 digits, 20-byte key, ${roundMs} ms rounds`,
    unit: "ops/s",
    baseline: "hmac.sha1",
    rounds,
    setup: setUpWatchword,
    run: async (codeAt) => measureCodes(codeAt),
  },
  {
    name: "otp.totp.vs-otpauth",
    title: "the same generateTotp measured again, as a ratio to the otpauth library",
    unit: "ops/s",
    baseline: "otpauth-lib.totp",
    rounds,
    setup: setUpWatchword,
    run: async (codeAt) => measureCodes(codeAt),
  },
  paired,
];
