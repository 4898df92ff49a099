// Puts the people, folders and entries of policy tests into a real store, with the ids of
// policy-fixtures.ts, so that facts loaded back can be compared with the facts decide() was given.
import type { EntryId, FolderId, UserId } from "../../src/core/ids.js";
import type { Role } from "../../src/core/policy.js";
import type { Repositories } from "../../src/store/store.js";

export async function seedUser(store: Pick<Repositories, "users">, id: UserId, role: Role = "member"): Promise<void> {
  await store.users.insertUser({ id, username: `user-${id.slice(-4)}`, displayName: `User ${id.slice(-4)}`, role, passwordHash: "$argon2id$placeholder", createdAt: 1_000 });
}

export async function seedFolder(store: Pick<Repositories, "folders">, id: FolderId): Promise<void> {
  await store.folders.insertFolder({ id, name: `Folder ${id.slice(-4)}` }, 1_000);
}

export async function seedEntry(store: Pick<Repositories, "entries">, id: EntryId, facts: { folderId: FolderId | null; ownerId: UserId; name?: string }): Promise<void> {
  await store.entries.insertEntry({
    id,
    name: facts.name ?? `Entry ${id.slice(-4)}`,
    folderId: facts.folderId,
    templateId: "otp-only",
    issuer: null,
    account: null,
    url: null,
    username: null,
    notes: null,
    tags: [],
    ownerId: facts.ownerId,
    otpType: null,
    otpAlgorithm: null,
    otpDigits: null,
    otpPeriod: null,
    hotpCounter: 0,
    seedSealed: null,
    seedUpdatedAt: null,
    createdAt: 1_000,
    updatedAt: 1_000,
  });
}
