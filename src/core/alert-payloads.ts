// The bodies Watchword posts for an alert: a Slack incoming-webhook message (`text` fallback plus
// Block Kit `blocks`), a Teams message carrying an Adaptive Card (what Teams workflows and
// incoming webhooks accept), and the generic signed webhook's JSON with its signature header.
// Pure, apart from the HMAC. Built from AlertFacts only, so no code, seed or secret can be in them.
import type { AlertFacts } from "./alerts.js";
import { alertWordsOf } from "./alert-messages.js";
import type { MailLanguage } from "./mail-messages.js";

// ----- Slack --------------------------------------------------------------------------------

/** Slack reads &, < and > as markup (`<!channel>` pings everyone, `<url|label>` links), so text is escaped. */
export const escapeSlack = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// Block Kit limits: a header's plain text 150 characters, a field's text 2000, a section's 3000.
const HEADER_LIMIT = 150;
const FIELD_LIMIT = 2000;
const SECTION_LIMIT = 3000;
const cut = (text: string, limit: number): string => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Record<string, unknown>[];
}

export function buildSlackMessage(facts: AlertFacts, language: MailLanguage): SlackMessage {
  const words = alertWordsOf(facts, language);
  const field = (label: string, value: string) => ({ type: "mrkdwn", text: cut(`*${escapeSlack(label)}*\n${escapeSlack(value)}`, FIELD_LIMIT) });
  const fields = [
    field(facts.target.kind === "entry" ? words.labels.entry : words.labels.folder, facts.target.name),
    field(words.labels.actor, facts.actor.name),
    field(words.labels.at, words.at),
    field(words.labels.channel, words.channel),
  ];
  const blocks: Record<string, unknown>[] = [
    { type: "header", text: { type: "plain_text", text: cut(words.title, HEADER_LIMIT), emoji: false } },
    { type: "section", text: { type: "mrkdwn", text: cut(escapeSlack(words.sentence), SECTION_LIMIT) }, fields },
  ];
  if (facts.reason !== null && facts.reason !== "") {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: cut(`*${escapeSlack(words.labels.reason)}*\n${escapeSlack(facts.reason)}`, SECTION_LIMIT) } });
  }
  if (facts.link !== null) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", text: { type: "plain_text", text: words.labels.open, emoji: false }, url: facts.link, action_id: "open_in_watchword" }],
    });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `Watchword · ${escapeSlack(facts.eventId)}` }] });
  return { text: escapeSlack(facts.link === null ? words.sentence : `${words.sentence} ${facts.link}`), blocks };
}

// ----- Teams --------------------------------------------------------------------------------

export interface TeamsMessage {
  readonly type: "message";
  readonly attachments: readonly [{ readonly contentType: "application/vnd.microsoft.card.adaptive"; readonly contentUrl: null; readonly content: Record<string, unknown> }];
}

/** A Teams message with one Adaptive Card (schema 1.4, the newest Teams workflows render everywhere). */
export function buildTeamsMessage(facts: AlertFacts, language: MailLanguage): TeamsMessage {
  const words = alertWordsOf(facts, language);
  const rows = [
    { title: facts.target.kind === "entry" ? words.labels.entry : words.labels.folder, value: facts.target.name },
    { title: words.labels.actor, value: facts.actor.name },
    { title: words.labels.at, value: words.at },
    { title: words.labels.channel, value: words.channel },
    ...(facts.reason === null || facts.reason === "" ? [] : [{ title: words.labels.reason, value: facts.reason }]),
  ];
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          // TextBlock reads a subset of Markdown; a name is shown as typed, not as markup.
          body: [
            { type: "TextBlock", text: escapeCardText(words.title), weight: "Bolder", size: "Medium", wrap: true },
            { type: "TextBlock", text: escapeCardText(words.sentence), wrap: true },
            { type: "FactSet", facts: rows.map((f) => ({ title: f.title, value: escapeCardText(f.value) })) },
          ],
          actions: facts.link === null ? [] : [{ type: "Action.OpenUrl", title: words.labels.open, url: facts.link }],
          msteams: { width: "Full" },
        },
      },
    ],
  };
}

/** Adaptive Card TextBlocks read Markdown: the characters that start markup are escaped. */
export const escapeCardText = (text: string): string => text.replace(/([\\*_`[\]()#>~|-])/g, "\\$1");

// ----- Generic signed webhook ---------------------------------------------------------------

export const WEBHOOK_SCHEMA = "watchword.alert.v1";

export interface WebhookAlert {
  readonly type: typeof WEBHOOK_SCHEMA;
  readonly eventId: string;
  readonly kind: AlertFacts["kind"];
  readonly at: string;
  readonly actor: AlertFacts["actor"];
  readonly target: AlertFacts["target"];
  readonly reason: string | null;
  readonly channel: string;
  readonly link: string | null;
  readonly text: string;
}

export function buildWebhookAlert(facts: AlertFacts, language: MailLanguage): WebhookAlert {
  const words = alertWordsOf(facts, language);
  return {
    type: WEBHOOK_SCHEMA,
    eventId: facts.eventId,
    kind: facts.kind,
    at: new Date(facts.at).toISOString(),
    actor: facts.actor,
    target: facts.target,
    reason: facts.reason,
    channel: facts.channel,
    link: facts.link,
    text: words.sentence,
  };
}

/** The header that carries the event id for de-duplication (the signature's are those of SIEM webhooks: crypto/webhook-signature.ts). */
export const EVENT_ID_HEADER = "watchword-event-id";
