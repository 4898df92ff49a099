// The pages of "My entries" (GET /api/v1/entries): here, apart from the API's schemas in
// contract/entries.ts, so that the CLI's client verbs read them without loading typebox
// (test/integration/cli-start.test.ts times what a client verb loads).

/** Entries per page when the request names no limit. */
export const ENTRY_PAGE_DEFAULT = 100;
/** The most entries one page may hold. */
export const ENTRY_PAGE_MAX = 1000;
