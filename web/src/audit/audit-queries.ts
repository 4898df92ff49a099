// The audit log as TanStack Query keys and hooks: the viewer's pages (newest first, each asked
// with the cursor of the one before) and an entry's recent use.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { AuditEventPage } from "../../../src/contract/audit.js";
import { client } from "../ui/api-client.js";
import { auditQueryOf, type AuditFilters } from "./audit-filters.js";

export const AUDIT_PAGE_SIZE = 50;
export const RECENT_USE_SIZE = 8;

export const auditKeys = {
  all: ["audit"] as const,
  events: (filters: AuditFilters) => ["audit", "events", filters] as const,
  entry: (entryId: string) => ["audit", "entry", entryId] as const,
};

export const useAuditEvents = (filters: AuditFilters) =>
  useInfiniteQuery({
    queryKey: auditKeys.events(filters),
    queryFn: ({ pageParam }): Promise<AuditEventPage> => client.listAuditEvents(auditQueryOf(filters, pageParam, AUDIT_PAGE_SIZE)),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // The log only grows: what was read stays right, and a new visit asks again.
    staleTime: 0,
    refetchOnWindowFocus: false,
  });

export const useEntryAuditEvents = (entryId: string, isEnabled = true) =>
  useQuery({
    queryKey: auditKeys.entry(entryId),
    enabled: isEnabled,
    queryFn: () => client.listEntryAuditEvents(entryId, { limit: String(RECENT_USE_SIZE) }),
    refetchOnWindowFocus: false,
  });
