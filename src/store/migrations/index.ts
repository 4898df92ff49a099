// Numbered, append-only migrations; each runs on both dialects. Add a file, then a line here.
import type { Kysely } from "kysely";
import type { DialectCapabilities } from "../dialect.js";
import * as m0001 from "./0001-initial.js";
import * as m0002 from "./0002-entries.js";
import * as m0003 from "./0003-name-keys.js";
import * as m0004 from "./0004-people-and-policy.js";
import * as m0005 from "./0005-device-tokens.js";
import * as m0006 from "./0006-people.js";
import * as m0007 from "./0007-keyed-audit-chain.js";
import * as m0008 from "./0008-audit-targets.js";
import * as m0009 from "./0009-audit-query-indexes.js";
import * as m0010 from "./0010-outbox.js";
import * as m0011 from "./0011-entry-alerts.js";
import * as m0012 from "./0012-service-account-name-keys.js";
import * as m0013 from "./0013-audit-archive.js";
import * as m0014 from "./0014-audit-combined-filter-indexes.js";
import * as m0015 from "./0015-user-factors.js";
import * as m0016 from "./0016-sign-in-recovery.js";
import * as m0017 from "./0017-passkeys.js";
import * as m0018 from "./0018-sso.js";
import * as m0019 from "./0019-key-rotation.js";
import * as m0020 from "./0020-push-approval.js";
import * as m0021 from "./0021-entry-list-indexes.js";
import * as m0022 from "./0022-recovery-method.js";
import * as m0023 from "./0023-mfa-enforcement.js";
import * as m0024 from "./0024-folded-search-text.js";
import * as m0025 from "./0025-entries-vacuum.js";

export interface MigrationModule {
  up(db: Kysely<unknown>, dialect: DialectCapabilities): Promise<void>;
}

export const migrations: Readonly<Record<string, MigrationModule>> = Object.freeze({
  "0001-initial": m0001,
  "0002-entries": m0002,
  "0003-name-keys": m0003,
  "0004-people-and-policy": m0004,
  "0005-device-tokens": m0005,
  "0006-people": m0006,
  "0007-keyed-audit-chain": m0007,
  "0008-audit-targets": m0008,
  "0009-audit-query-indexes": m0009,
  "0010-outbox": m0010,
  "0011-entry-alerts": m0011,
  "0012-service-account-name-keys": m0012,
  "0013-audit-archive": m0013,
  "0014-audit-combined-filter-indexes": m0014,
  "0015-user-factors": m0015,
  "0016-sign-in-recovery": m0016,
  "0017-passkeys": m0017,
  "0018-sso": m0018,
  "0019-key-rotation": m0019,
  "0020-push-approval": m0020,
  "0021-entry-list-indexes": m0021,
  "0022-recovery-method": m0022,
  "0023-mfa-enforcement": m0023,
  "0024-folded-search-text": m0024,
  "0025-entries-vacuum": m0025,
});
