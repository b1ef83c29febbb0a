import { formatMoney, parseSegment, type Audience, type SegmentError } from "@valuetier/domain";
import type { Services } from "../../composition";
import { DomainError } from "../../errors/domain-error";
import { parseId } from "../../db/ids";
import { filterConditions } from "../customers/customer-list";
import { csvRecord } from "./csv";

export const EXPORT_COLUMNS = [
  "external_id",
  "email",
  "name",
  "created_at",
  "tier",
  "clv",
  "p_alive",
  "rfm_group",
  "lifecycle_stage",
  "churn_risk",
  "total_spent",
  "order_count",
  "last_order_at",
] as const;

/**
 * What an export asks for: the customer list's filters and a segment-language query, all of
 * which hold. Values as they come in the address (text), checked here.
 */
export interface ExportRequest {
  query?: string;
  segmentId?: string;
  search?: string;
  channels?: string[];
  /** ISO 8601 instants, as the list sends them. */
  createdFrom?: string;
  createdTo?: string;
  /** Decimal amounts in the store currency. */
  clvMin?: string;
  clvMax?: string;
  /** Shares from 0 to 1. */
  pAliveMin?: string;
  pAliveMax?: string;
  tierKeys?: string[];
  rfmGroups?: string[];
  lifecycleStages?: string[];
  churnRisks?: string[];
}

export type ExportAudience =
  | { ok: true; audience: Audience; described: Record<string, unknown> }
  | { ok: false; error: SegmentError };

/**
 * The audience of an export request, or the query's positioned error.
 *
 * @throws {DomainError} INVALID_INPUT for a segment id that is not an id, a date that is not a
 *   date, a share that is not a number from 0 to 1 or an amount that is not an amount, naming
 *   the parameter.
 */
export function exportAudience(request: ExportRequest, currency: string): ExportAudience {
  const segmentId =
    request.segmentId === undefined || request.segmentId === ""
      ? null
      : parseId(request.segmentId, "segmentId");
  const conditions = filterConditions(
    {
      search: request.search,
      channels: request.channels,
      createdFrom: instant(request.createdFrom, "createdFrom"),
      createdTo: instant(request.createdTo, "createdTo"),
      clvMin: request.clvMin,
      clvMax: request.clvMax,
      pAliveMin: share(request.pAliveMin, "pAliveMin"),
      pAliveMax: share(request.pAliveMax, "pAliveMax"),
      tierKeys: request.tierKeys,
      rfmGroups: request.rfmGroups,
      lifecycleStages: request.lifecycleStages,
      churnRisks: request.churnRisks,
      segmentId,
    },
    currency,
  );
  const query = request.query?.trim() ?? "";
  if (query !== "") {
    const parsed = parseSegment(query, { currency });
    if (!parsed.ok) return { ok: false, error: parsed.error };
    if (parsed.audience.condition) conditions.push(parsed.audience.condition);
  }
  const described: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request)) {
    if (value !== undefined && value !== "" && !(Array.isArray(value) && value.length === 0))
      described[key] = value;
  }
  return {
    ok: true,
    audience: { condition: conditions.length === 0 ? null : { type: "and", conditions } },
    described,
  };
}

function instant(text: string | undefined, name: string): Date | null {
  if (text === undefined || text === "") return null;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new DomainError(
      "INVALID_INPUT",
      `${name}: ${JSON.stringify(text.slice(0, 40))} is not a date (e.g. 2025-01-31 or 2025-01-31T00:00:00Z)`,
      { field: name },
    );
  }
  return date;
}

function share(text: string | undefined, name: string): number | null {
  if (text === undefined || text === "") return null;
  const value = Number(text);
  if (!/^\s*[0-9.eE+-]+\s*$/.test(text) || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new DomainError(
      "INVALID_INPUT",
      `${name}: ${JSON.stringify(text.slice(0, 40))} is not a share from 0 to 1 (e.g. 0.5)`,
      { field: name },
    );
  }
  return value;
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * The audience as CSV, one chunk per page of `pageSize` members in id order (the header is the
 * first chunk), so that no more than one page is ever held: keyset paging through
 * AudienceService.members and the page's values in one query.
 *
 * @throws {DomainError} INVALID_INPUT for a condition that does not fit its field or names a
 *   segment that does not exist (raised before the first chunk).
 */
export async function* audienceCsv(
  services: Pick<Services, "audiences" | "segments" | "valueQueries">,
  audience: Audience,
  currency: string,
  pageSize = 500,
): AsyncGenerator<{ csv: string; rows: number }> {
  const segments = await services.segments.savedAudiences();
  // One run for the whole file: a scoring run that succeeds mid-export must not mix values.
  const runId = (await services.valueQueries.currentRunId()) ?? 0;
  let after: string | null = null;
  let first = true;
  for (;;) {
    const page = await services.audiences.members(audience, pageSize, after, segments, runId);
    if (first) {
      yield { csv: csvRecord(EXPORT_COLUMNS), rows: 0 };
      first = false;
    }
    if (page.rows.length === 0) return;
    const values = await services.valueQueries.currentValues(
      page.rows.map((c) => c.id),
      runId,
    );
    let csv = "";
    page.rows.forEach((c, i) => {
      const v = values[i];
      csv += csvRecord([
        c.externalId,
        c.email,
        c.name,
        iso(c.firstSeenAt),
        v?.tierKey,
        v?.clvMinor == null ? null : formatMoney(v.clvMinor, currency),
        v?.pAlive,
        v?.rfmGroup,
        v?.lifecycleStage,
        v?.churnRisk,
        formatMoney(c.totalSpentMinor, currency),
        c.orderCount,
        iso(c.lastOrderAt),
      ]);
    });
    yield { csv, rows: page.rows.length };
    if (!page.hasNextPage) return;
    after = page.cursors[page.cursors.length - 1] ?? null;
  }
}

/** A DomainError as the HTTP answer of the export endpoint. */
export function isClientError(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === "INVALID_INPUT";
}
