// Recognises a unique-constraint violation from either database, so a race that slips past a
// "name taken?" check still becomes a 409 with a sentence, not a 500.
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  // PostgreSQL: SQLSTATE 23505. SQLite (better-sqlite3): SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY.
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || (typeof message === "string" && message.startsWith("UNIQUE constraint failed"));
}
