// The access-request mails in both languages: each names the target and links to the requests
// page; French puts a no-break space before ":" and inside « ».
import { describe, expect, it } from "vitest";
import { composeRequestMail, type RequestMailKind } from "../../../src/core/mail-messages.js";

const KINDS: readonly RequestMailKind[] = ["request_created", "request_approved", "request_denied", "emergency_used"];
const FACTS = { recipientName: "Ada", requesterName: "Bo Durand", targetName: "Registrar", reason: "Renew the domain", link: "https://vault.example.com/requests" };

describe("access-request mails", () => {
  for (const language of ["en", "fr"] as const) {
    for (const kind of KINDS) {
      it(`${kind} in ${language} names the target and links to the requests page`, () => {
        const mail = composeRequestMail(kind, language, FACTS);
        expect(mail.subject).toContain("Registrar");
        expect(mail.text).toContain(FACTS.link);
        expect(mail.text).toContain(language === "fr" ? "Bonjour Ada" : "Hello Ada");
        if (kind === "request_created" || kind === "emergency_used") expect(mail.text).toContain("Bo Durand");
        if (language === "fr") expect(`${mail.subject}\n${mail.text}`).not.toMatch(/ [:;?!»]|« /);
      });
    }
  }
  it("differs between the languages", () => {
    for (const kind of KINDS) expect(composeRequestMail(kind, "fr", FACTS).subject).not.toBe(composeRequestMail(kind, "en", FACTS).subject);
  });
});
