// One suite's server with its administrator: registers the hooks that start a test app on a fresh
// database of one kind with "ada" signed in as administrator, then stop it and drop the database.
import { afterAll, beforeAll } from "vitest";
import type { WatchwordClient } from "../../src/client/client.js";
import { createTestDatabase, type DatabaseKind, type TestDatabase } from "./databases.js";
import { signedInClient, startTestApp, type TestApp } from "./test-app.js";

/** What the suite's tests and later hooks use; read only once the suite's beforeAll has run. */
export interface SignedInAdmin {
  readonly db: TestDatabase;
  readonly server: TestApp;
  /** "ada", an administrator, signed in with a bearer token. */
  readonly admin: WatchwordClient;
}

/** Call in a describe body, before the suite's own hooks (they run in the order registered). */
export function useSignedInAdmin(kind: DatabaseKind): SignedInAdmin {
  let db: TestDatabase | undefined;
  let server: TestApp | undefined;
  let admin: WatchwordClient | undefined;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    server = await startTestApp(db);
    admin = await signedInClient(server, "ada", "admin");
  });
  afterAll(async () => {
    // What started is stopped even when a later step of the set-up failed.
    await server?.close();
    await db?.drop();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("The suite's server starts in beforeAll: use it inside a test or a hook.");
    return value;
  };
  return {
    get db() {
      return started(db);
    },
    get server() {
      return started(server);
    },
    get admin() {
      return started(admin);
    },
  };
}
