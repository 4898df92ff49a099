// Request and reply shapes of the account-recovery method (an e-mail address or phone number
// proved with a 6-digit code) and of account recovery (issue 10). No reply carries an address:
// only its hint.
import { Type, type Static } from "typebox";

export const RecoveryChannel = Type.Union([Type.Literal("email"), Type.Literal("sms")], { description: "email: a code by e-mail (SMTP); sms: a code by text message (the SMS gateway)." });
const Hint = Type.String({ description: "Enough of the address for its owner to recognise it.", examples: ["a•••@e•••.com", "+33•••78"] });
const CodeField = Type.String({ maxLength: 32, description: "The 6-digit code sent; spaces and dashes are ignored.", examples: ["123 456"] });
const AttemptToken = Type.String({ minLength: 1, maxLength: 100, description: "The attemptToken of the reply that sent the code: a code is good only for its own attempt." });
const Client = Type.Optional(Type.Union([Type.Literal("browser"), Type.Literal("cli")], { description: "As in the sign-in request (default browser)." }));
const ChallengeToken = Type.Optional(Type.String({ maxLength: 100, description: "Only for client=cli: the challengeToken of the sign-in reply; browsers send the challenge cookie." }));

export const RecoveryMethod = Type.Object({ channel: RecoveryChannel, hint: Hint, confirmedAt: Type.String({ format: "date-time" }) }, { $id: "RecoveryMethod" });
export type RecoveryMethod = Static<typeof RecoveryMethod>;

export const AccountRecovery = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    status: Type.Union([Type.Literal("pending"), Type.Literal("approved"), Type.Literal("denied"), Type.Literal("cancelled"), Type.Literal("completed")]),
    channel: RecoveryChannel,
    requestedAt: Type.String({ format: "date-time" }),
    readyAt: Type.String({ format: "date-time", description: "When the waiting period ends (WATCHWORD_RECOVERY_WAIT_HOURS): the user may then finish without an approval." }),
    isReady: Type.Boolean({ description: "Approved, or the waiting period is over." }),
  },
  { $id: "AccountRecovery" },
);
export type AccountRecovery = Static<typeof AccountRecovery>;

export const OwnRecoveryMethod = Type.Object({
  method: Type.Union([RecoveryMethod, Type.Null()]),
  channels: Type.Object({ email: Type.Boolean({ description: "This server sends e-mail." }), sms: Type.Boolean({ description: "This server sends text messages." }) }),
  recovery: Type.Union([AccountRecovery, Type.Null()], { description: "A recovery of this account under way; cancel it if it was not you." }),
});
export type OwnRecoveryMethod = Static<typeof OwnRecoveryMethod>;

export const StartRecoveryMethodRequest = Type.Object({ channel: RecoveryChannel, address: Type.String({ minLength: 1, maxLength: 254, description: "An e-mail address, or a phone number starting with + and the country code.", examples: ["ada@example.com"] }) }, { additionalProperties: false });
export type StartRecoveryMethodRequest = Static<typeof StartRecoveryMethodRequest>;

export const SentRecoveryCode = Type.Object({ attemptToken: Type.String({ description: "Send it back with the code." }), channel: RecoveryChannel, hint: Hint, expiresAt: Type.String({ format: "date-time", description: "10 minutes from now." }) }, { $id: "SentRecoveryCode" });
export type SentRecoveryCode = Static<typeof SentRecoveryCode>;

export const ConfirmRecoveryMethodRequest = Type.Object({ attemptToken: AttemptToken, code: CodeField }, { additionalProperties: false });
export type ConfirmRecoveryMethodRequest = Static<typeof ConfirmRecoveryMethodRequest>;

export const RecoveryChallengeRequest = Type.Object({ client: Client, challengeToken: ChallengeToken }, { additionalProperties: false });
export type RecoveryChallengeRequest = Static<typeof RecoveryChallengeRequest>;

export const ConfirmRecoveryRequest = Type.Object({ client: Client, challengeToken: ChallengeToken, attemptToken: AttemptToken, code: CodeField }, { additionalProperties: false });
export type ConfirmRecoveryRequest = Static<typeof ConfirmRecoveryRequest>;

export const RecoveryStatusReply = Type.Object({
  method: Type.Union([Type.Object({ channel: RecoveryChannel, hint: Hint }), Type.Null()], { description: "Where a code would go; null: no recovery method, an administrator must help." }),
  recovery: Type.Union([AccountRecovery, Type.Null()]),
});
export type RecoveryStatusReply = Static<typeof RecoveryStatusReply>;

export const AccountRecoveryList = Type.Object({ recoveries: Type.Array(AccountRecovery) });
export type AccountRecoveryList = Static<typeof AccountRecoveryList>;
