// The Store the services use: one object per database with a repository per concern, and
// transactions that hand the same shape back over one connection.
import { sql, type Kysely } from "kysely";
import { createDataKeyStore, type DataKeyRecordStore } from "./data-keys.js";
import type { DialectCapabilities } from "./dialect.js";
import { openDatabase, type DatabaseTarget } from "./connect.js";
import { migrateToLatest, readMigrationStatus, type MigrationStatus } from "./migrate.js";
import type { Database } from "./schema.js";
import { createSessionStore, type SessionStore } from "./sessions.js";
import { createSetupTokenStore, type SetupTokenStore } from "./setup-tokens.js";
import { createSignInFailureStore, type SignInFailureStore } from "./sign-in-failures.js";
import { createUserStore, type UserStore } from "./users.js";

export interface Repositories {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly setupTokens: SetupTokenStore;
  readonly signInFailures: SignInFailureStore;
  readonly dataKeys: DataKeyRecordStore;
}

export interface Store extends Repositories {
  readonly dialect: DialectCapabilities;
  readonly description: string;
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  migrate(): Promise<string[]>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Throws when the database cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

function repositories(db: Kysely<Database>): Repositories {
  return {
    users: createUserStore(db),
    sessions: createSessionStore(db),
    setupTokens: createSetupTokenStore(db),
    signInFailures: createSignInFailureStore(db),
    dataKeys: createDataKeyStore(db),
  };
}

export function createStore(db: Kysely<Database>, dialect: DialectCapabilities, description: string): Store {
  return {
    ...repositories(db),
    dialect,
    description,
    transaction: (work) => db.transaction().execute((trx) => work(repositories(trx))),
    migrate: () => migrateToLatest(db, dialect),
    migrationStatus: () => readMigrationStatus(db, dialect),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

export function openStore(target: DatabaseTarget): Store {
  const connection = openDatabase(target);
  return createStore(connection.db, connection.dialect, connection.description);
}
