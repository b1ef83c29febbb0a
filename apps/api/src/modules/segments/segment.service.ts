import { parseSegment, type Audience, type SegmentError } from "@valuetier/domain";
import type { DataSource, EntityManager } from "typeorm";
import { forUpdate } from "../../db/locks";
import { runInTransaction } from "../../db/transaction";
import { cleanDisplayName } from "../../errors/display-name";
import { problem, type Problem } from "../../errors/domain-error";
import { recordAudit, type Actor } from "../audit/audit.service";
import type { AudienceService } from "../audiences/audience.service";
import type { ValueQueryService } from "../value/value-query.service";
import { SegmentEntity } from "./segment.entity";

const NAME_LIMIT = 120;

export interface SegmentInput {
  name: string;
  query: string;
}

/** What a query holds right now, or why it cannot be read. */
export type SegmentPreview =
  | { ok: true; count: number; sample: { id: number; externalId: string; name: string }[] }
  | { ok: false; error: SegmentError };

/** A segment's size when each of the latest scoring runs was current. */
export interface SegmentSize {
  runId: number;
  scoredAt: Date | null;
  count: number;
}

/**
 * Saved segments: named queries in the segment language, evaluated on demand through the one
 * audience model. Writes are audited and run in one transaction each.
 */
export class SegmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audiences: AudienceService,
    private readonly valueQueries: ValueQueryService,
    private readonly currency: string,
  ) {}

  list(): Promise<SegmentEntity[]> {
    return this.dataSource.getRepository(SegmentEntity).find({ order: { name: "ASC" } });
  }

  find(id: number): Promise<SegmentEntity | null> {
    return this.dataSource.getRepository(SegmentEntity).findOneBy({ id });
  }

  /** Every saved segment's audience, for queries that refer to segments. */
  async savedAudiences(): Promise<Map<number, Audience>> {
    const rows = await this.list();
    return new Map(rows.map((row) => [row.id, audienceOf(row)]));
  }

  /** Members now. */
  async memberCount(segment: SegmentEntity): Promise<number> {
    return this.audiences.count(audienceOf(segment));
  }

  /**
   * The segment's size under each of the latest `runs` succeeded scoring runs (value fields as
   * that run scored them; customer fields as they are now), newest first.
   */
  async sizeHistory(segment: SegmentEntity, runs: number): Promise<SegmentSize[]> {
    const latest = await this.valueQueries.latestSucceededRuns(runs);
    const audience = audienceOf(segment);
    const sizes: SegmentSize[] = [];
    for (const run of latest) {
      sizes.push({
        runId: run.id,
        scoredAt: run.finishedAt,
        count: await this.audiences.count(audience, undefined, run.id),
      });
    }
    return sizes;
  }

  /** Parses a query and, when it reads, counts its members and shows a few. */
  async preview(query: string, sampleSize = 10): Promise<SegmentPreview> {
    const parsed = parseSegment(query, { currency: this.currency });
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const [count, page] = await Promise.all([
      this.audiences.count(parsed.audience),
      this.audiences.members(parsed.audience, sampleSize, null),
    ]);
    return {
      ok: true,
      count,
      sample: page.rows.map((c) => ({ id: c.id, externalId: c.externalId, name: c.name })),
    };
  }

  async create(input: SegmentInput, actor: Actor): Promise<SegmentEntity | Problem[]> {
    const checked = this.check(input);
    if (Array.isArray(checked)) return checked;
    return runInTransaction(this.dataSource, async (manager) => {
      const taken = await this.nameTaken(manager, checked.name, null);
      if (taken) return [taken];
      const repo = manager.getRepository(SegmentEntity);
      const saved = await repo.save(
        repo.create({
          name: checked.name,
          query: input.query,
          audienceJson: JSON.stringify(checked.audience),
          createdBy: actor.label.slice(0, 254),
        }),
      );
      await recordAudit(manager, actor, {
        action: "segment.create",
        entityType: "segment",
        entityId: saved.id,
        after: { name: saved.name, query: saved.query },
      });
      return saved;
    });
  }

  async update(id: number, input: SegmentInput, actor: Actor): Promise<SegmentEntity | Problem[]> {
    const checked = this.check(input);
    if (Array.isArray(checked)) return checked;
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(SegmentEntity);
      const existing = await forUpdate(repo.createQueryBuilder("s"))
        .where("s.id = :id", { id })
        .getOne();
      if (!existing) return [problem("id", "NOT_FOUND", `no segment with id ${id}`)];
      const taken = await this.nameTaken(manager, checked.name, id);
      if (taken) return [taken];
      const before = { name: existing.name, query: existing.query };
      existing.name = checked.name;
      existing.query = input.query;
      existing.audienceJson = JSON.stringify(checked.audience);
      const saved = await repo.save(existing);
      await recordAudit(manager, actor, {
        action: "segment.update",
        entityType: "segment",
        entityId: id,
        before,
        after: { name: saved.name, query: saved.query },
      });
      return saved;
    });
  }

  async delete(id: number, actor: Actor): Promise<number | Problem[]> {
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(SegmentEntity);
      const existing = await repo.findOneBy({ id });
      if (!existing) return [problem("id", "NOT_FOUND", `no segment with id ${id}`)];
      await repo.delete({ id });
      await recordAudit(manager, actor, {
        action: "segment.delete",
        entityType: "segment",
        entityId: id,
        before: { name: existing.name, query: existing.query },
      });
      return id;
    });
  }

  /** The name and the query, checked; the parsed audience when both are good. */
  private check(input: SegmentInput): { name: string; audience: Audience } | Problem[] {
    const problems: Problem[] = [];
    const cleaned = cleanDisplayName(input.name, "input.name", NAME_LIMIT);
    const name = typeof cleaned === "string" ? cleaned : "";
    if (typeof cleaned !== "string") problems.push(cleaned);
    else if (name === "")
      problems.push(problem("input.name", "REQUIRED", "a segment needs a name"));
    const parsed = parseSegment(input.query, { currency: this.currency });
    if (!parsed.ok) problems.push(problem("input.query", "INVALID_QUERY", parsed.error.message));
    if (problems.length > 0 || !parsed.ok) return problems;
    return { name, audience: parsed.audience };
  }

  private async nameTaken(
    manager: EntityManager,
    name: string,
    except: number | null,
  ): Promise<Problem | null> {
    const other = await forUpdate(manager.getRepository(SegmentEntity).createQueryBuilder("s"))
      .where("s.name = :name", { name })
      .getOne();
    return other && other.id !== except
      ? problem("input.name", "NAME_TAKEN", `a segment named "${name}" already exists`)
      : null;
  }
}

/** A stored segment's audience. */
export function audienceOf(segment: SegmentEntity): Audience {
  return JSON.parse(segment.audienceJson) as Audience;
}
