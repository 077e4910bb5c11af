import { get, post } from "./client";
import type { ActionResult, AuditResult, JournalEntry, MigrationAction, MigrationStatus, Page } from "./types";

/** The migrator's control API through the gateway (admins act; regulators read). */
export const migration = {
  status: () => get<MigrationStatus>("/migration"),
  journal: (limit = 15) => get<Page<JournalEntry>>(`/migration/journal?limit=${limit}`),
  audit: () => get<AuditResult>("/migration/audit"),
  act: (category: string, action: MigrationAction) =>
    post<ActionResult>(`/migration/${encodeURIComponent(category)}/${action}`),
};
