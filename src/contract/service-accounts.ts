// Request and reply shapes for service accounts (scripts and pipelines) and their API tokens.
// A token appears in exactly one reply, the one that creates it (CreatedApiToken.token); every
// other shape carries only its id, scope and use.
import { Type, type Static } from "typebox";

const Id = Type.String({ format: "uuid" });
const Timestamp = Type.String({ format: "date-time" });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

export const ServiceAccountName = Type.String({ minLength: 1, maxLength: 64, description: "Unique, compared without case.", examples: ["deploy-bot"] });

export const ServiceAccount = Type.Object(
  {
    id: Id,
    name: Type.String(),
    description: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    disabledAt: Type.Union([Timestamp, Type.Null()], { description: "Set while disabled: every token of the account is refused." }),
    activeTokens: Type.Integer({ minimum: 0, description: "Tokens neither revoked nor expired." }),
  },
  { $id: "ServiceAccount" },
);
export type ServiceAccount = Static<typeof ServiceAccount>;

export const ServiceAccountList = Type.Object({ serviceAccounts: Type.Array(ServiceAccount) }, { $id: "ServiceAccountList" });
export type ServiceAccountList = Static<typeof ServiceAccountList>;

export const CreateServiceAccountRequest = Type.Object(
  { name: ServiceAccountName, description: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type CreateServiceAccountRequest = Static<typeof CreateServiceAccountRequest>;

export const ServiceAccountIdParams = Type.Object({ id: Id });
export const ApiTokenIdParams = Type.Object({ id: Id });

export const TokenPermission = Type.Union([Type.Literal("use"), Type.Literal("recover")], { description: "use: get codes; recover: reveal a recovery code." });
export type TokenPermission = Static<typeof TokenPermission>;

export const ApiTokenScope = Type.Object(
  {
    entryIds: Type.Array(Id, { maxItems: 100, uniqueItems: true }),
    folderIds: Type.Array(Id, { maxItems: 100, uniqueItems: true, description: "Every entry in these folders, now and later." }),
    permissions: Type.Array(TokenPermission, { minItems: 1, maxItems: 2, uniqueItems: true }),
  },
  { additionalProperties: false, description: "Nothing outside it, whatever the service account's grants say; nothing inside it without a grant either." },
);
export type ApiTokenScope = Static<typeof ApiTokenScope>;

export const CreateApiTokenRequest = Type.Object(
  {
    label: Type.Optional(Type.String({ maxLength: 100, description: "What the token is for, e.g. the pipeline that holds it." })),
    scope: ApiTokenScope,
    expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 366 * 24 * 3600, description: "From now, by the server's clock; none: never expires." })),
    allowedCidrs: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20, description: "IPv4 or IPv6 networks (10.0.0.0/8, 2001:db8::/32) or addresses; none: any address." })),
  },
  { additionalProperties: false },
);
export type CreateApiTokenRequest = Static<typeof CreateApiTokenRequest>;

export const ApiTokenState = Type.Union([Type.Literal("active"), Type.Literal("expired"), Type.Literal("revoked")]);

export const ApiToken = Type.Object(
  {
    id: Id,
    serviceAccountId: Id,
    serviceAccountName: Type.String(),
    label: Type.String(),
    scope: ApiTokenScope,
    allowedCidrs: Type.Array(Type.String()),
    expiresAt: NullableTimestamp,
    createdAt: Timestamp,
    lastUsedAt: NullableTimestamp,
    lastUsedIp: Type.Union([Type.String(), Type.Null()]),
    revokedAt: NullableTimestamp,
    state: ApiTokenState,
  },
  { $id: "ApiToken" },
);
export type ApiToken = Static<typeof ApiToken>;

export const CreatedApiToken = Type.Object(
  {
    token: Type.String({ pattern: "^ww_[A-Za-z0-9_-]{43}$", description: "Shown this once: Watchword keeps only its hash. Send it as Authorization: Bearer …" }),
    ...ApiToken.properties,
  },
  { $id: "CreatedApiToken" },
);
export type CreatedApiToken = Static<typeof CreatedApiToken>;

export const ApiTokenList = Type.Object({ tokens: Type.Array(ApiToken) }, { $id: "ApiTokenList" });
export type ApiTokenList = Static<typeof ApiTokenList>;

export const ApiTokenListQuery = Type.Object({ serviceAccountId: Type.Optional(Id) }, { additionalProperties: false });
export type ApiTokenListQuery = Static<typeof ApiTokenListQuery>;
