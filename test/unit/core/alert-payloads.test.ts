import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertFactsOf, alertKindOf, checkEventKinds, checkTargetUrl, isPublicAddress, shownTargetOf, type AlertSourceEvent } from "../../../src/core/alerts.js";
import { composeAlertMail } from "../../../src/core/alert-messages.js";
import { buildSlackMessage, buildTeamsMessage, buildWebhookAlert } from "../../../src/core/alert-payloads.js";
import { signWebhookBody } from "../../../src/crypto/webhook-signature.js";
import { isWatchwordError } from "../../../src/core/errors.js";
import { Secret } from "../../../src/core/secret.js";

/** The parts of Block Kit and Adaptive Card JSON the tests read. */
interface SlackText {
  readonly type: string;
  readonly text: string;
}
interface SlackBlock {
  readonly type: string;
  readonly text: SlackText;
  readonly fields: SlackText[];
  readonly elements: SlackText[];
}
interface Card {
  readonly type: string;
  readonly version: string;
  readonly body: { readonly type: string; readonly text?: string; readonly facts: { readonly title: string; readonly value: string }[] }[];
  readonly actions: unknown[];
}

const AT = Date.UTC(2026, 11, 1, 15, 30, 5);
const event = (overrides: Partial<AlertSourceEvent> = {}): AlertSourceEvent => ({
  id: "7d3f4a9e-0000-4000-8000-000000000001",
  at: AT,
  actorType: "user",
  actorName: "alice",
  action: "code.issued",
  outcome: "success",
  entryId: "0b7c0000-0000-4000-8000-00000000e001",
  entryName: "AWS <root> & co",
  reason: "deploy *now*",
  channel: "ui",
  details: JSON.stringify({ type: "totp", validFrom: 1 }),
  ...overrides,
});
const PUBLIC = "https://vault.example.com";
const factsOf = (overrides: Partial<AlertSourceEvent> = {}) => alertFactsOf(event(overrides), PUBLIC)!;

const problemKeyOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return isWatchwordError(error) ? error.key : "not a WatchwordError";
  }
  return undefined;
};

describe("which audit events are alerts", () => {
  it("names the five kinds, emergency codes apart, and only what succeeded", () => {
    expect(alertKindOf(event())).toBe("code_issued");
    expect(alertKindOf(event({ details: JSON.stringify({ emergency: true, requestId: "r" }) }))).toBe("emergency_used");
    expect(alertKindOf(event({ action: "recovery_code.revealed" }))).toBe("recovery_code_revealed");
    expect(alertKindOf(event({ action: "recovery_codes.revealed_all" }))).toBe("recovery_code_revealed");
    expect(alertKindOf(event({ action: "seed.overwritten" }))).toBe("seed_overwritten");
    expect(alertKindOf(event({ action: "access_request.created" }))).toBe("access_requested");
    expect(alertKindOf(event({ outcome: "denied" }))).toBeUndefined();
    expect(alertKindOf(event({ action: "entry.updated" }))).toBeUndefined();
    expect(alertKindOf(event({ details: "not json" }))).toBe("code_issued");
  });

  it("takes a folder-wide request's folder from its details, and links the requests page", () => {
    const facts = factsOf({ action: "access_request.created", entryId: null, entryName: null, details: JSON.stringify({ folderId: "f1", folderName: "Ops" }) });
    expect(facts.target).toEqual({ kind: "folder", id: "f1", name: "Ops" });
    expect(facts.link).toBe("https://vault.example.com/requests");
  });
});

describe("the Slack message", () => {
  it("is a text fallback and blocks, checked field by field, with Slack's markup escaped", () => {
    const message = buildSlackMessage(factsOf(), "en");
    expect(Object.keys(message).sort()).toEqual(["blocks", "text"]);
    expect(message.text).toBe('alice took a code of "AWS &lt;root&gt; &amp; co". https://vault.example.com/entries/0b7c0000-0000-4000-8000-00000000e001');
    expect(message.blocks).toHaveLength(5);
    const [header, section, reason, actions, context] = message.blocks as unknown as [SlackBlock, SlackBlock, SlackBlock, SlackBlock, SlackBlock];
    expect(header).toEqual({ type: "header", text: { type: "plain_text", text: "Code handed out: AWS <root> & co", emoji: false } });
    expect(section.type).toBe("section");
    expect(section.text).toEqual({ type: "mrkdwn", text: 'alice took a code of "AWS &lt;root&gt; &amp; co".' });
    expect(section.fields).toEqual([
      { type: "mrkdwn", text: "*Entry*\nAWS &lt;root&gt; &amp; co" },
      { type: "mrkdwn", text: "*By*\nalice" },
      { type: "mrkdwn", text: "*When*\n1 December 2026 at 15:30:05 UTC" },
      { type: "mrkdwn", text: "*Through*\nthe web app" },
    ]);
    expect(reason).toEqual({ type: "section", text: { type: "mrkdwn", text: "*Reason*\ndeploy *now*" } });
    expect(actions).toEqual({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: "Open in Watchword", emoji: false }, url: "https://vault.example.com/entries/0b7c0000-0000-4000-8000-00000000e001", action_id: "open_in_watchword" }],
    });
    expect(context).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "Watchword · 7d3f4a9e-0000-4000-8000-000000000001" }] });
  });

  it("cannot ping a channel or forge a link through a name or a reason", () => {
    const message = buildSlackMessage(factsOf({ actorName: "<!channel>", reason: "<https://evil.example|click>" }), "en");
    const all = JSON.stringify(message);
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<https://evil");
  });

  it("keeps within Block Kit's limits when a reason is long", () => {
    const message = buildSlackMessage(factsOf({ reason: "x".repeat(10_000), entryName: "n".repeat(400) }), "en");
    const [header, section, reason] = message.blocks as unknown as SlackBlock[];
    expect(header!.text.text.length).toBeLessThanOrEqual(150);
    for (const field of section!.fields) expect(field.text.length).toBeLessThanOrEqual(2000);
    expect(reason!.text.text.length).toBeLessThanOrEqual(3000);
  });

  it("speaks French to a French subscriber", () => {
    const [header, section] = buildSlackMessage(factsOf({ action: "seed.overwritten", reason: null }), "fr").blocks as unknown as SlackBlock[];
    expect(header!.text.text).toBe("Graine remplacée\u00a0: AWS <root> & co");
    expect(section!.fields[0]!.text).toBe("*Entrée*\nAWS &lt;root&gt; &amp; co");
  });
});

describe("the Teams message", () => {
  it("carries one Adaptive Card with the facts and a link", () => {
    const message = buildTeamsMessage(factsOf({ details: JSON.stringify({ emergency: true }) }), "en");
    expect(message.type).toBe("message");
    expect(message.attachments).toHaveLength(1);
    const [attachment] = message.attachments;
    expect(attachment.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const card = attachment.content as unknown as Card;
    expect(card.type).toBe("AdaptiveCard");
    expect(card.version).toBe("1.4");
    expect(card.body[0]!).toMatchObject({ type: "TextBlock", text: "Emergency access used: AWS <root\\> & co", weight: "Bolder", wrap: true });
    expect(card.body[2]!.type).toBe("FactSet");
    expect(card.body[2]!.facts.map((f) => f.title)).toEqual(["Entry", "By", "When", "Through", "Reason"]);
    expect(card.body[2]!.facts[4]!.value).toBe("deploy \\*now\\*");
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Watchword", url: "https://vault.example.com/entries/0b7c0000-0000-4000-8000-00000000e001" }]);
  });
});

describe("the signed webhook", () => {
  it("signs the timestamp and body with HMAC-SHA256, as a receiver recomputes it", () => {
    const secret = Secret.fromUtf8("whsec_test");
    const body = JSON.stringify(buildWebhookAlert(factsOf(), "en"));
    const header = signWebhookBody(secret, 1_700_000_000, body);
    const expected = createHmac("sha256", "whsec_test").update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`v1=${expected}`);
    expect(signWebhookBody(secret, 1_700_000_001, body)).not.toBe(header);
  });

  it("says the event id, kind, target and time", () => {
    const alert = buildWebhookAlert(factsOf(), "en");
    expect(alert).toMatchObject({ type: "watchword.alert.v1", eventId: event().id, kind: "code_issued", at: "2026-12-01T15:30:05.000Z", target: { kind: "entry", name: "AWS <root> & co" } });
  });
});

describe("the alert mail", () => {
  it("is written in the recipient's language, one line per fact, with the link", () => {
    const en = composeAlertMail(factsOf(), "en", "Bob");
    expect(en.subject).toBe("Code handed out: AWS <root> & co");
    expect(en.text).toBe(
      'Hello Bob,\n\nalice took a code of "AWS <root> & co". (1 December 2026 at 15:30:05 UTC, the web app)\nTheir reason: deploy *now*\n\nSee the entry here:\n\nhttps://vault.example.com/entries/0b7c0000-0000-4000-8000-00000000e001\n\nYou receive this because you chose alerts for this in Watchword.\n',
    );
    const fr = composeAlertMail(factsOf({ action: "recovery_code.revealed" }), "fr", "Bob");
    expect(fr.subject).toBe("Code de récupération révélé\u00a0: AWS <root> & co");
    expect(fr.text).toContain("Bonjour Bob,");
    expect(fr.text).toContain("alice a révélé un code de récupération de «\u00a0AWS <root> & co\u00a0».");
    expect(fr.text).toContain("Sa raison\u00a0: deploy *now*");
  });

  it("keeps a reason with line breaks on one line and out of the subject", () => {
    const mail = composeAlertMail(factsOf({ reason: "a\r\nBcc: x@example.com", entryName: "E\r\nX-Evil: 1" }), "en", "Bob");
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain("Their reason: a Bcc: x@example.com");
  });
});

describe("alert targets", () => {
  const rule = { allowPrivate: false };
  it("accepts public https and http webhooks and shows only scheme and host", () => {
    expect(shownTargetOf(checkTargetUrl("https://hooks.slack.com/services/T0/B0/secretpart", "slack", rule))).toBe("https://hooks.slack.com");
    expect(checkTargetUrl("http://receiver.example.com/hook", "webhook", rule).href).toBe("http://receiver.example.com/hook");
  });

  it.each([
    ["ftp://example.com/x", "webhook", "alert_target_scheme"],
    ["javascript:alert(1)", "webhook", "alert_target_scheme"],
    ["http://hooks.slack.com/services/x", "slack", "alert_target_needs_https"],
    ["http://teams.example.com/x", "teams", "alert_target_needs_https"],
    ["not a url", "webhook", "alert_target_not_url"],
    ["https://user:pw@example.com/", "webhook", "alert_target_credentials"],
    ["https://127.0.0.1/", "webhook", "alert_target_private"],
    ["https://10.1.2.3/", "teams", "alert_target_private"],
    ["https://[::1]/", "webhook", "alert_target_private"],
    ["https://[::ffff:192.168.1.1]/", "webhook", "alert_target_private"],
    ["https://169.254.169.254/latest/meta-data", "webhook", "alert_target_private"],
    ["https://localhost:8080/", "webhook", "alert_target_private"],
    [`https://example.com/${"a".repeat(2100)}`, "webhook", "alert_target_too_long"],
  ] as const)("refuses case %#", (url, channel, key) => {
    expect(problemKeyOf(() => checkTargetUrl(url, channel, rule))).toBe(key);
  });

  it("lets an operator allow private addresses", () => {
    expect(checkTargetUrl("http://127.0.0.1:9999/hook", "webhook", { allowPrivate: true }).port).toBe("9999");
  });

  it("tells public addresses from the rest", () => {
    expect(isPublicAddress("93.184.216.34")).toBe(true);
    expect(isPublicAddress("2606:2800:220:1::")).toBe(true);
    for (const address of ["127.0.0.1", "10.0.0.1", "172.16.0.1", "192.168.0.1", "169.254.1.1", "::1", "fd00::1", "fe80::1", "0.0.0.0", "100.64.0.1", "nonsense"]) expect(isPublicAddress(address), address).toBe(false);
  });
});

describe("event kinds", () => {
  it("keeps known kinds in the catalogue's order, refuses unknown and empty", () => {
    expect(checkEventKinds(["seed_overwritten", "code_issued", "code_issued"])).toEqual(["code_issued", "seed_overwritten"]);
    expect(problemKeyOf(() => checkEventKinds(["code_issued", "entry.deleted"]))).toBe("alert_event_unknown");
    expect(problemKeyOf(() => checkEventKinds([]))).toBe("alert_events_empty");
  });
});
