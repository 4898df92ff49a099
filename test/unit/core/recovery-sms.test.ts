// The text messages of account recovery in both languages: each fits one SMS segment in the GSM
// 7-bit alphabet (3GPP TS 23.038) whatever the code and the date, carries no link, and is in the
// user's language; and the segment count itself, on both alphabets.
import { describe, expect, it } from "vitest";
import { composeRecoveryCodeSms, composeRecoveryNoticeSms, smsSegmentsOf, type RecoverySmsNotice } from "../../../src/core/recovery-sms.js";

const NOTICES: readonly RecoverySmsNotice[] = ["requested", "approved", "denied", "completed"];
// One date in each month: the month is never spelt out ("août" would leave the 7-bit alphabet).
const DATES = Array.from({ length: 12 }, (_, month) => new Date(Date.UTC(2026, month, 28, 23, 59)));

describe("recovery text messages", () => {
  for (const language of ["en", "fr"] as const) {
    it(`puts each code in one 7-bit segment in ${language}, without a link`, () => {
      for (const purpose of ["confirm_method", "recovery"] as const) {
        for (const code of ["000000", "987654"]) {
          const text = composeRecoveryCodeSms(purpose, language, code);
          expect(text).toContain(code);
          expect(text.length).toBeLessThanOrEqual(160);
          expect(smsSegmentsOf(text), text).toBe(1);
          expect(text).not.toMatch(/https?:|www\./);
        }
      }
    });

    it(`puts each notice in one 7-bit segment in ${language}, with the date in numbers`, () => {
      for (const notice of NOTICES) {
        for (const date of DATES) {
          const text = composeRecoveryNoticeSms(notice, language, date);
          expect(smsSegmentsOf(text), text).toBe(1);
          expect(text.length).toBeLessThanOrEqual(160);
          expect(text).not.toMatch(/https?:|www\.|\d{6}/);
        }
      }
      expect(composeRecoveryNoticeSms("requested", language, new Date(Date.UTC(2026, 7, 4, 9, 5)))).toContain(language === "fr" ? "le 04/08/2026 09:05 UTC" : "on 04/08/2026, 09:05 UTC");
    });
  }

  it("speaks French to French users", () => {
    expect(composeRecoveryCodeSms("recovery", "fr", "123456")).toMatch(/^Code Watchword : 123456\. Il lance la récupération de votre compte/);
    expect(composeRecoveryNoticeSms("approved", "fr", new Date())).toMatch(/^Watchword : un administrateur a approuvé/);
    expect(composeRecoveryNoticeSms("approved", "en", new Date())).toMatch(/^Watchword: an administrator approved/);
  });

  it("counts segments: 160 septets in one, 153 each past that, 70 UCS-2 units once a character leaves the alphabet", () => {
    expect(smsSegmentsOf("a".repeat(160))).toBe(1);
    expect(smsSegmentsOf("a".repeat(161))).toBe(2);
    expect(smsSegmentsOf("é".repeat(160))).toBe(1);
    expect(smsSegmentsOf("€".repeat(80))).toBe(1); // the extension table: two septets each
    expect(smsSegmentsOf("€".repeat(81))).toBe(2);
    expect(smsSegmentsOf(`${"a".repeat(69)}ê`)).toBe(1);
    expect(smsSegmentsOf(`${"a".repeat(70)}ê`)).toBe(2);
    expect(smsSegmentsOf(`qu’il${"a".repeat(70)}`)).toBe(2); // a curly apostrophe is UCS-2 too
    expect(smsSegmentsOf("a\u00a0b")).toBe(1);
    expect(smsSegmentsOf(`a\u00a0${"b".repeat(70)}`)).toBe(2);
  });
});
