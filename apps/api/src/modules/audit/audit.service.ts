import type { DataSource, EntityManager } from "typeorm";
import { keysetPage, type KeysetOrder, type Page } from "../../db/keyset";
import { AuditEntryEntity, type ActorType } from "./audit-entry.entity";

/** Who is acting: a signed-in user, an API key, or the system itself (CLI, demo seeding, jobs). */
export interface Actor {
  type: ActorType;
  id: number | null;
  /** Shown in the audit log: an email, a key name, "cli". */
  label: string;
}

export const systemActor = (label: string): Actor => ({ type: "system", id: null, label });

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/**
 * Appends one audit entry in the caller's transaction, so that a change and its audit entry
 * land together or not at all.
 */
export async function recordAudit(
  manager: EntityManager,
  actor: Actor,
  record: AuditRecord,
): Promise<void> {
  await manager.insert(AuditEntryEntity, auditRow(actor, record));
}

function auditRow(actor: Actor, record: AuditRecord) {
  return {
    actorType: actor.type,
    actorId: actor.id,
    actorLabel: actor.label.slice(0, 254),
    action: record.action,
    entityType: record.entityType,
    entityId:
      record.entityId === undefined || record.entityId === null ? null : String(record.entityId),
    beforeJson: json(record.before),
    afterJson: json(record.after),
  };
}

/**
 * Appends several audit entries with one statement, in the caller's transaction (a group of
 * API calls that committed together, each with its own actor).
 */
export async function recordAudits(
  manager: EntityManager,
  entries: readonly { actor: Actor; record: AuditRecord }[],
): Promise<void> {
  if (entries.length === 0) return;
  // updateEntity(false): nothing is read back (insert() would SELECT each new row's id and
  // created_at afterwards, a round trip the callers do not need).
  await manager
    .createQueryBuilder()
    .insert()
    .into(AuditEntryEntity)
    .values(entries.map(({ actor, record }) => auditRow(actor, record)))
    .updateEntity(false)
    .execute();
}

/** The id of the newest audit entry (0 for none): entries logged after it have higher ids. */
export async function latestAuditId(run: Pick<EntityManager, "query">): Promise<number> {
  const [row] = (await run.query("SELECT MAX(id) AS id FROM audit_log")) as { id: unknown }[];
  return Number(row?.id ?? 0);
}

/**
 * Whether an entry with one of `actions` was logged after the entry `afterId` (found by
 * {@link latestAuditId}), including ones still being committed when that id was read: their
 * ids were taken later.
 */
export async function auditedSince(
  run: Pick<EntityManager, "query">,
  afterId: number,
  actions: readonly string[],
): Promise<boolean> {
  const [row] = (await run.query(
    `SELECT COUNT(*) AS n FROM audit_log WHERE id > ? AND action IN (${actions.map(() => "?").join(", ")})`,
    [afterId, ...actions],
  )) as { n: unknown }[];
  return Number(row?.n ?? 0) > 0;
}

/** Which audit entries to list. */
export interface AuditLogFilter {
  entityType?: string | null;
  entityId?: string | null;
}

const NEWEST_FIRST: KeysetOrder<AuditEntryEntity> = {
  name: "audit:id:DESC",
  column: null,
  idColumn: "a.id",
  direction: "DESC",
  id: (entry) => entry.id,
  cursorValue: () => null,
};

/** Reads the audit log. */
export class AuditLogService {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of entries, newest first, with their total counted on demand. */
  async list(
    filter: AuditLogFilter,
    first: number,
    after: string | null | undefined,
  ): Promise<{ page: Page<AuditEntryEntity>; countTotal: () => Promise<number> }> {
    const query = () => {
      const qb = this.dataSource.getRepository(AuditEntryEntity).createQueryBuilder("a");
      if (filter.entityType) qb.andWhere("a.entityType = :entityType", filter);
      if (filter.entityId) qb.andWhere("a.entityId = :entityId", filter);
      return qb;
    };
    return {
      page: await keysetPage(query(), NEWEST_FIRST, first, after),
      countTotal: () => query().getCount(),
    };
  }
}
