import fc from "fast-check";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { decodeBase32, encodeBase32 } from "../../../src/core/otp/base32.js";
import { generateTotp } from "../../../src/core/otp/generate.js";
import { formatOtpauthUri, parseOtpauthUri } from "../../../src/core/otp/otpauth-uri.js";
import { makeOtp } from "./reference.js";
import { steamLink } from "./vectors.js";
import { renderProblem } from "../../../src/core/problems/catalogue.js";

const invalidInputOn = (field: string) => expect.objectContaining({ code: "invalid_input", details: { field } });
const KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"; // 20 bytes: no short-key warning
const keyBytes = decodeBase32(KEY);
const parse = (uri: string) => parseOtpauthUri(uri);

describe("parseOtpauthUri: real links", () => {
  it("reads Key URI Format's full example", () => {
    const intake = parse("otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
    expect(intake).toMatchObject({ issuer: "ACME Co", account: "john.doe@email.com", warnings: [] });
    expect(intake.otp).toMatchObject({ type: "totp", algorithm: "SHA1", digits: 6, period: 30, counter: 0 });
    expect(intake.otp.secret.reveal()).toEqual(decodeBase32("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"));
  });

  it("applies the defaults SHA1, 6 digits, 30 s", () => {
    expect(parse(`otpauth://totp/alice@example.com?secret=${KEY}`).otp).toMatchObject({ algorithm: "SHA1", digits: 6, period: 30 });
  });

  it("reads every option: SHA-256/512, 6 to 10 digits, any period, a HOTP counter", () => {
    expect(parse(`otpauth://totp/x?secret=${KEY}&algorithm=SHA512&digits=10&period=1`).otp).toMatchObject({ algorithm: "SHA512", digits: 10, period: 1 });
    expect(parse(`otpauth://hotp/x?secret=${KEY}&algorithm=SHA256&digits=8&counter=9007199254740991`).otp).toMatchObject({
      type: "hotp", algorithm: "SHA256", digits: 8, counter: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe("parseOtpauthUri: lenient where exports are sloppy", () => {
  it("accepts a lower-case, spaced, dashed, padded or percent-encoded secret", () => {
    for (const secret of [KEY.toLowerCase(), "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP", "JBSW+Y3DP+EHPK+3PXP+JBSW+Y3DP+EHPK+3PXP", "jbsw-y3dp-ehpk-3pxp-jbsw-y3dp-ehpk-3pxp", `${KEY}%3D%3D`, `${KEY}====`]) {
      expect(parse(`otpauth://totp/x?secret=${secret}`).otp.secret.reveal(), secret).toEqual(keyBytes);
    }
  });

  it("splits a label at a literal or %3A colon, trimming the spaces Key URI Format allows", () => {
    for (const label of ["Example:alice@google.com", "Example%3Aalice@google.com", "Example%3a%20%20alice@google.com", "Example: alice%40google.com"]) {
      expect(parse(`otpauth://totp/${label}?secret=${KEY}`), label).toMatchObject({ issuer: "Example", account: "alice@google.com" });
    }
  });

  it("takes the issuer from the label when there is no issuer parameter", () => {
    expect(parse(`otpauth://totp/GitHub:octocat?secret=${KEY}`)).toMatchObject({ issuer: "GitHub", account: "octocat", warnings: [] });
  });

  it("prefers the issuer parameter when the label disagrees, and says so", () => {
    const intake = parse(`otpauth://totp/Old%20Name:bob?secret=${KEY}&issuer=New%20Name`);
    expect(intake).toMatchObject({ issuer: "New Name", account: "bob" });
    expect(intake.warnings).toEqual([{ key: "link_issuer_mismatch", params: { labelIssuer: "Old Name", parameterIssuer: "New Name" } }]);
    expect(intake.warnings.map(renderProblem)).toEqual([expect.stringContaining("the parameter was kept")]);
  });

  it("keeps '+' in a label literal (it is a path) but reads it as a space in the query (form encoding)", () => {
    expect(parse(`otpauth://totp/Mail:alice+work@example.com?secret=${KEY}&issuer=Big+Mail+Co`)).toMatchObject({ issuer: "Big Mail Co", account: "alice+work@example.com" });
    expect(parse(`otpauth://totp/alice%2Bwork%40example.com?secret=${KEY}`).account).toBe("alice+work@example.com");
  });

  it("accepts upper-case schemes, types, parameter names and algorithm spellings, and surrounding spaces", () => {
    const intake = parse(`  OTPAUTH://TOTP/x?SECRET=${KEY}&Algorithm=sha-256&DIGITS=8  \n`);
    expect(intake.otp).toMatchObject({ type: "totp", algorithm: "SHA256", digits: 8 });
  });

  it("decodes UTF-8 labels and keeps broken percent-escapes instead of failing", () => {
    expect(parse(`otpauth://totp/Caf%C3%A9:z%C3%BC?secret=${KEY}`)).toMatchObject({ issuer: "Café", account: "zü" });
    expect(parse(`otpauth://totp/100%25%20sure:a%ZZ%E9?secret=${KEY}`)).toMatchObject({ issuer: "100% sure", account: "a%ZZ\uFFFD" });
  });

  it("ignores parameters it does not know (image, color) and a period on a HOTP link", () => {
    const intake = parse(`otpauth://hotp/x?secret=${KEY}&counter=5&period=0&image=https%3A%2F%2Fexample.com%2Flogo.png`);
    expect(intake.otp).toMatchObject({ type: "hotp", counter: 5, period: 30 });
  });

  it("accepts a link with no label at all", () => {
    expect(parse(`otpauth://totp?secret=${KEY}&issuer=Solo`)).toMatchObject({ issuer: "Solo", account: undefined });
    expect(parse(`otpauth://totp/?secret=${KEY}`)).toMatchObject({ issuer: undefined, account: undefined });
  });
});

describe("parseOtpauthUri: Steam Guard", () => {
  it("reads KeePassXC's encoder=steam form", () => {
    const intake = parse(steamLink);
    expect(intake.otp).toMatchObject({ type: "steam", algorithm: "SHA1", digits: 5, period: 30 });
    expect(intake).toMatchObject({ issuer: "Valve", account: "test@example.com" });
  });

  it("reads Aegis's otpauth://steam/ form and Bitwarden's steam://", () => {
    const aegis = parse(`otpauth://steam/Steam:gaben?secret=${KEY}&issuer=Steam&digits=5&algorithm=SHA1&period=30`);
    expect(aegis).toMatchObject({ issuer: "Steam", account: "gaben", otp: { type: "steam", digits: 5 } });
    const bitwarden = parse(`steam://${KEY}`);
    expect(bitwarden).toMatchObject({ issuer: "Steam", account: undefined, otp: { type: "steam", algorithm: "SHA1", digits: 5, period: 30 } });
    expect(bitwarden.otp.secret.reveal()).toEqual(keyBytes);
  });

  it("treats a 5-digit TOTP link from the issuer Steam as Steam Guard", () => {
    expect(parse(`otpauth://totp/Steam:gaben?secret=${KEY}&digits=5`).otp.type).toBe("steam");
    expect(parse(`otpauth://totp/gaben?secret=${KEY}&digits=5&issuer=steam`).otp.type).toBe("steam");
  });

  it("refuses Steam with another algorithm or digit count, and 5 digits from anyone else", () => {
    expect(() => parse(`otpauth://totp/x?secret=${KEY}&encoder=steam&algorithm=SHA256`)).toThrow(invalidInputOn("algorithm"));
    expect(() => parse(`otpauth://totp/x?secret=${KEY}&encoder=steam&digits=6`)).toThrow(invalidInputOn("digits"));
    expect(() => parse(`otpauth://totp/Acme:x?secret=${KEY}&digits=5`)).toThrow(/Steam Guard's/);
    expect(() => parse(`otpauth://hotp/x?secret=${KEY}&counter=1&encoder=steam`)).toThrow(invalidInputOn("type"));
  });
});

describe("parseOtpauthUri: strict where the input is wrong", () => {
  const cases: [string, string, RegExp][] = [
    ["https://example.com/?secret=JBSWY3DP", "uri", /must start with otpauth:\/\//],
    ["otpauth:totp/x?secret=JBSWY3DP", "uri", /must start with otpauth:\/\//],
    ["otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8", "uri", /Google Authenticator export/],
    [`otpauth://totp/${"x".repeat(4100)}?secret=${KEY}`, "uri", /4,1\d\d characters long; expected at most 4,096/],
    [`otpauth://motp/x?secret=${KEY}`, "type", /type is 'motp'; expected totp or hotp/],
    ["otpauth://totp/x?issuer=Acme", "secret", /no secret parameter/],
    ["otpauth://totp/x?secret=", "secret", /secret is empty/],
    ["otpauth://totp/x?secret=JBSWY3DP1HPK3PXP", "secret", /contains '1', which is not a base32 character/],
    ["otpauth://totp/x?secret=MY==MY", "secret", /padding before its end/],
    [`otpauth://totp/x?secret=${KEY}&secret=AAAAAAAA`, "secret", /secret parameter twice/],
    [`otpauth://totp/x?secret=${KEY}&algorithm=MD5`, "algorithm", /algorithm is 'MD5'; expected SHA1, SHA256 or SHA512/],
    [`otpauth://totp/x?secret=${KEY}&digits=4`, "digits", /digits is 4; expected a whole number from 6 to 10/],
    [`otpauth://totp/x?secret=${KEY}&digits=11`, "digits", /digits is 11/],
    [`otpauth://totp/x?secret=${KEY}&digits=six`, "digits", /digits is 'six'; expected a whole number/],
    [`otpauth://totp/x?secret=${KEY}&period=0`, "period", /period is 0; expected a whole number of seconds from 1 to 86,400/],
    [`otpauth://totp/x?secret=${KEY}&period=86401`, "period", /period is 86401/],
    [`otpauth://totp/x?secret=${KEY}&period=30s`, "period", /period is '30s'/],
    [`otpauth://hotp/x?secret=${KEY}`, "counter", /without a counter parameter/],
    [`otpauth://hotp/x?secret=${KEY}&counter=-1`, "counter", /counter is '-1'; expected a whole number/],
    [`otpauth://hotp/x?secret=${KEY}&counter=9007199254740992`, "counter", /expected a whole number from 0 to 9007199254740991/],
    [`otpauth://totp/x?secret=${KEY}&encoder=yandex`, "encoder", /encoder is 'yandex'; expected steam/],
  ];
  it.each(cases)("refuses %s, naming the field %s", (uri, field, message) => {
    expect(() => parse(uri)).toThrow(invalidInputOn(field));
    expect(() => parse(uri)).toThrow(message);
  });
});

describe("parseOtpauthUri: warnings", () => {
  it("accepts a secret shorter than 128 bits with a visible warning", () => {
    const intake = parse("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP"); // 80 bits, common in the wild
    expect(intake.otp.secret.length).toBe(10);
    expect(intake.warnings).toEqual([{ key: "seed_weak", params: { bits: 80 } }]);
    expect(intake.warnings.map(renderProblem)).toEqual([expect.stringMatching(/80 bits long, shorter than the 128 bits RFC 4226 requires/)]);
  });
  it("warns when the last base32 character completes no byte", () => {
    const { warnings } = parse(`otpauth://totp/x?secret=${KEY}A`);
    expect(warnings.map((warning) => warning.key)).toEqual(["seed_dangling_character"]);
    expect(warnings.map(renderProblem)).toEqual([expect.stringContaining("copied whole")]);
  });
});

describe("formatOtpauthUri", () => {
  it("writes Key URI Format with the label, issuer and every parameter", () => {
    const otp = makeOtp(keyBytes, { algorithm: "SHA256", digits: 8, period: 60 });
    expect(formatOtpauthUri({ otp, issuer: "ACME Co", account: "john.doe@email.com" })).toBe(
      `otpauth://totp/ACME%20Co:john.doe@email.com?secret=${KEY}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60`,
    );
    expect(formatOtpauthUri({ otp: makeOtp(keyBytes, { type: "hotp", counter: 42 }), account: "a+b@c" })).toBe(
      `otpauth://hotp/a%2Bb@c?secret=${KEY}&algorithm=SHA1&digits=6&counter=42`,
    );
    expect(formatOtpauthUri({ otp: makeOtp(keyBytes, { type: "steam" }), issuer: "Steam", account: "gaben" })).toBe(
      `otpauth://totp/Steam:gaben?secret=${KEY}&issuer=Steam&algorithm=SHA1&digits=5&period=30&encoder=steam`,
    );
  });

  it("keeps colons in names unambiguous", () => {
    const otp = makeOtp(keyBytes);
    expect(parse(formatOtpauthUri({ otp, issuer: "A:B", account: "c" }))).toMatchObject({ issuer: "A:B", account: "c", warnings: [] });
    expect(parse(formatOtpauthUri({ otp, account: "user:42" }))).toMatchObject({ issuer: undefined, account: "user:42" });
  });

  it("refuses parameters that break the rules", () => {
    const otp = { ...makeOtp(keyBytes), digits: 12 };
    expect(() => formatOtpauthUri({ otp })).toThrow(invalidInputOn("digits"));
  });
});

const labelText = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).map((text) => text.replace(/\p{Cc}/gu, "").trim()).filter((text) => text !== "");
const otpArbitrary = fc
  .record({
    type: fc.constantFrom("totp" as const, "hotp" as const, "steam" as const),
    secret: fc.uint8Array({ minLength: 1, maxLength: 128 }),
    algorithm: fc.constantFrom("SHA1" as const, "SHA256" as const, "SHA512" as const),
    digits: fc.integer({ min: 6, max: 10 }),
    period: fc.integer({ min: 1, max: 86_400 }),
    counter: fc.maxSafeNat(),
  })
  .map(({ type, secret, algorithm, digits, period, counter }) =>
    makeOtp(secret, type === "steam" ? { type, period } : type === "hotp" ? { type, algorithm, digits, counter } : { type, algorithm, digits, period }),
  );

describe("otpauth:// round trips", () => {
  it("parses back what it formats: parameters, seed, issuer and account", () => {
    fc.assert(
      fc.property(otpArbitrary, fc.option(labelText, { nil: undefined }), fc.option(labelText, { nil: undefined }), (otp, issuer, account) => {
        const intake = parse(formatOtpauthUri({ otp, issuer, account }));
        const { secret, ...rest } = otp;
        expect(intake.otp).toMatchObject(rest);
        expect(intake.otp.secret.reveal()).toEqual(secret.reveal());
        expect(intake.issuer).toBe(issuer ?? (otp.type === "steam" ? "Steam" : undefined));
        expect(intake.account).toBe(account);
        expect(intake.warnings.some((warning) => warning.key === "link_issuer_mismatch")).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("reads the otpauth library's links, and the library reads ours, to the same codes", () => {
    fc.assert(
      fc.property(otpArbitrary.filter((otp) => otp.type === "totp"), labelText, labelText, (otp, issuer, account) => {
        const theirs = new OTPAuth.TOTP({ issuer, label: account, secret: OTPAuth.Secret.fromBase32(encodeBase32(otp.secret.reveal())), algorithm: otp.algorithm, digits: otp.digits, period: otp.period });
        const intake = parse(theirs.toString());
        expect(intake).toMatchObject({ issuer, account: issuer.includes(":") ? expect.any(String) : account });
        expect(generateTotp(intake.otp, 1_700_000_000_000).code).toBe(theirs.generate({ timestamp: 1_700_000_000_000 }));
        const ours = OTPAuth.URI.parse(formatOtpauthUri({ otp, issuer, account }));
        expect(ours.generate({ timestamp: 1_700_000_000_000 })).toBe(generateTotp(otp, 1_700_000_000_000).code);
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseOtpauthUri on arbitrary input", () => {
  const fields = ["uri", "type", "secret", "algorithm", "digits", "period", "counter", "encoder", "issuer"];
  const check = (uri: string, secret?: string) => {
    try {
      const intake = parse(uri);
      if (secret !== undefined) for (const warning of intake.warnings) expect(warning).not.toContain(secret);
    } catch (error) {
      expect(error).toMatchObject({ name: "WatchwordError", code: "invalid_input" });
      expect(fields).toContain((error as { details: { field: string } }).details.field);
      if (secret !== undefined) expect((error as Error).message.toUpperCase()).not.toContain(secret.toUpperCase());
    }
  };

  it("throws nothing but invalid_input on any string", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => check(text)), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => check(`otpauth://${text}`)), { numRuns: 3000 });
  });

  it("never puts the secret in an error or warning, whatever surrounds it", () => {
    const piece = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("totp", "hotp", "steam", "SHA1", "MD5", "6", "5", "0", "-1", "30", "%3A", "%", "+", "&", "=", "?", "steam"));
    const name = fc.constantFrom("issuer", "algorithm", "digits", "period", "counter", "encoder", "image", "secret");
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcxyz01890 =-"), minLength: 16, maxLength: 60 }),
        piece,
        piece,
        fc.array(fc.tuple(name, piece), { maxLength: 5 }),
        fc.nat(),
        (secret, type, label, parameters, position) => {
          const query = parameters.filter(([key]) => key !== "secret").map(([key, value]) => `${key}=${value}`);
          query.splice(position % (query.length + 1), 0, `secret=${secret}`);
          check(`otpauth://${type}/${label}?${query.join("&")}`, secret.trim());
        },
      ),
      { numRuns: 3000 },
    );
  });
});
