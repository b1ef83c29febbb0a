import {
  defaultLoyaltySettings,
  formatMoney,
  GLOBAL_HOLDOUT_SALT,
  type Audience,
} from "@valuetier/domain";
import type { DataSource, EntityManager } from "typeorm";
import { decodeCursor, encodeCursor, type Page } from "../../db/keyset";
import { forUpdate } from "../../db/locks";
import { isDuplicateKeyError } from "../../db/sql-dialect";
import { runInTransaction } from "../../db/transaction";
import { DomainError, problem, type Problem } from "../../errors/domain-error";
import { recordAudit, systemActor, type Actor } from "../audit/audit.service";
import type { AudienceService } from "../audiences/audience.service";
import type { SegmentService } from "../segments/segment.service";
import type { TierService } from "../tiers/tier.service";
import type { ValueQueryService } from "../value/value-query.service";
import type { ValueSettingsService } from "../value/value-settings.service";
import { emitEvent } from "../webhooks/emit-event";
import {
  measureLaunchedCampaign,
  planCampaign,
  type CampaignPlan,
  type MeasuredCampaign,
} from "./campaign-results";
import { measureCampaignTimeline, type CampaignTimelinePoint } from "./campaign-timeline";
import { CampaignEntity, CampaignSettingsEntity, type CampaignStatus } from "./campaign.entity";
import {
  checkCampaign,
  isCampaignKey,
  slugOf,
  type CampaignAudienceSpec,
  type CampaignInput,
  type CampaignOffer,
  type CheckedCampaign,
} from "./campaign-input";
import { couponsOf, useCampaignCoupon, type CouponUse } from "./campaign-coupons";
import { freezeMembers, type FrozenMembers } from "./campaign-members";
import { nextStatus, type CampaignAction } from "./campaign-status";
import { groupAssigner, type HoldoutSetting } from "./group-assignment";

/** What a campaign's stored audience column holds: the spec as given and its parsed audience. */
interface StoredAudience {
  spec: CampaignAudienceSpec;
  audience: Audience;
}

export interface CampaignServiceOptions {
  /** The store currency. */
  currency: string;
  /** What one point costs in minor units (the loyalty setting); the domain default without loyalty. */
  costPerPointMinor?: (manager: EntityManager) => Promise<string>;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
}

/** A customer's place in one campaign. */
export interface CampaignMembership {
  campaign: CampaignEntity;
  group: "TREATMENT" | "CONTROL";
  joinedAt: Date;
  late: boolean;
  /** The customer's own coupon code (treated members of a campaign with a coupon; else null). */
  coupon: string | null;
}

const LIST_ORDER = "campaigns:id:DESC";

/**
 * Campaigns: definition (validated, audited), the status transitions of
 * {@link CAMPAIGN_TRANSITIONS}, launch (the audience frozen into campaign_members with groups by
 * the one stable hash and covariates for the measurement), and the global holdout setting.
 */
export class CampaignService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audiences: AudienceService,
    private readonly segments: SegmentService,
    private readonly tiers: TierService,
    private readonly valueQueries: ValueQueryService,
    private readonly valueSettings: ValueSettingsService,
    private readonly options: CampaignServiceOptions,
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /** Newest first, a page at a time; optionally only some statuses. */
  async list(
    first: number,
    after: string | null | undefined,
    statuses?: readonly CampaignStatus[] | null,
  ): Promise<Page<CampaignEntity>> {
    const qb = this.dataSource.getRepository(CampaignEntity).createQueryBuilder("c");
    if (statuses?.length) qb.where("c.status IN (:...statuses)", { statuses: [...statuses] });
    if (after) qb.andWhere("c.id < :after", { after: decodeCursor(after, LIST_ORDER).id });
    const found = await qb
      .orderBy("c.id", "DESC")
      .limit(first + 1)
      .getMany();
    const rows = found.slice(0, first);
    return {
      rows,
      cursors: rows.map((r) => encodeCursor({ order: LIST_ORDER, value: null, id: r.id })),
      hasNextPage: found.length > first,
    };
  }

  async count(statuses?: readonly CampaignStatus[] | null): Promise<number> {
    const qb = this.dataSource.getRepository(CampaignEntity).createQueryBuilder("c");
    if (statuses?.length) qb.where("c.status IN (:...statuses)", { statuses: [...statuses] });
    return qb.getCount();
  }

  find(id: number): Promise<CampaignEntity | null> {
    return this.dataSource.getRepository(CampaignEntity).findOneBy({ id });
  }

  findByKey(key: string): Promise<CampaignEntity | null> {
    return this.dataSource.getRepository(CampaignEntity).findOneBy({ key });
  }

  /** The audience spec as given at creation or last update. */
  audienceSpec(campaign: CampaignEntity): CampaignAudienceSpec {
    return (JSON.parse(campaign.audienceJson) as StoredAudience).spec;
  }

  offer(campaign: CampaignEntity): CampaignOffer {
    return JSON.parse(campaign.offerJson) as CampaignOffer;
  }

  async create(input: CampaignInput, actor: Actor): Promise<CampaignEntity | Problem[]> {
    const checked = await this.check(input);
    if (Array.isArray(checked)) return checked;
    const requestedKey = input.key?.trim() || null;
    if (requestedKey !== null && !isCampaignKey(requestedKey)) {
      return [
        problem(
          "input.key",
          "INVALID_KEY",
          "a campaign key is 1 to 64 lower-case letters, digits and dashes, starting with a letter or digit",
        ),
      ];
    }
    if (requestedKey === GLOBAL_HOLDOUT_SALT) {
      return [problem("input.key", "KEY_TAKEN", "that key is the global holdout's salt")];
    }
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(CampaignEntity);
      const key = requestedKey ?? (await this.freeKey(manager, slugOf(checked.name)));
      if (requestedKey !== null && (await repo.findOneBy({ key }))) {
        return [problem("input.key", "KEY_TAKEN", `a campaign with key "${key}" already exists`)];
      }
      const now = this.now();
      const entity = repo.create({
        key,
        status: "draft",
        owner: actor.label.slice(0, 254),
        spent: 0,
        budgetExhaustedAt: null,
        launchedAt: null,
        endedAt: null,
        launchRunId: null,
        createdAt: now,
        updatedAt: now,
        ...columnsOf(checked),
      });
      let saved: CampaignEntity;
      try {
        saved = await repo.save(entity);
      } catch (error) {
        // Two creations raced for the same derived key: the later one is told, nothing written.
        if (isDuplicateKeyError(error)) {
          return [problem("input.key", "KEY_TAKEN", `a campaign with key "${key}" already exists`)];
        }
        throw error;
      }
      await recordAudit(manager, actor, {
        action: "campaign.create",
        entityType: "campaign",
        entityId: saved.id,
        after: describe(saved),
      });
      return saved;
    });
  }

  /**
   * Changes a campaign. Before launch everything but the key may change; once launched the
   * audience, offer, control share and pre-period are what members were frozen and measured
   * with, so only the name, the end, the time zone and the budget may (an ended one: nothing).
   */
  async update(
    id: number,
    input: CampaignInput,
    actor: Actor,
  ): Promise<CampaignEntity | Problem[]> {
    return runInTransaction(this.dataSource, async (manager) => {
      const existing = await this.lock(manager, id);
      if (!existing) return [problem("id", "NOT_FOUND", `no campaign with id ${id}`)];
      if (existing.status === "ended") {
        throw new DomainError("INVALID_TRANSITION", "an ended campaign cannot change", {
          field: "id",
        });
      }
      const live = existing.status === "running" || existing.status === "paused";
      if (live) {
        const locked = (
          ["audience", "offer", "controlShare", "prePeriodDays", "startsAt"] as const
        ).filter((f) => input[f] !== undefined && input[f] !== null);
        if (locked.length > 0) {
          return locked.map((f) =>
            problem(
              `input.${f}`,
              "LOCKED_AFTER_LAUNCH",
              `${f} cannot change once the campaign has launched: its members were frozen and are measured with it`,
            ),
          );
        }
      }
      const stored = JSON.parse(existing.audienceJson) as StoredAudience;
      const offer = this.offer(existing);
      const merged: CampaignInput = {
        name: input.name ?? existing.name,
        audience: input.audience ?? stored.spec,
        offer: input.offer ?? {
          pointsMultiplier: offer.pointsMultiplier,
          bonusPoints: offer.bonusPoints,
          rewardId: offer.rewardId,
          coupon: offer.coupon
            ? {
                code: offer.coupon.code,
                amount: formatMoney(offer.coupon.amountMinor, this.options.currency),
              }
            : null,
        },
        startsAt: input.startsAt !== undefined ? input.startsAt : existing.startsAt,
        endsAt: input.endsAt !== undefined ? input.endsAt : existing.endsAt,
        timeZone: input.timeZone ?? existing.timeZone,
        controlShare: input.controlShare ?? existing.controlShareBp / 10_000,
        budget:
          input.budget !== undefined
            ? input.budget
            : existing.budgetKind && existing.budget !== null
              ? {
                  kind: existing.budgetKind,
                  amount:
                    existing.budgetKind === "points"
                      ? String(existing.budget)
                      : formatMoney(existing.budget, this.options.currency),
                  onExhausted: existing.onBudgetExhausted,
                }
              : null,
        prePeriodDays: input.prePeriodDays ?? existing.prePeriodDays,
      };
      const checked = await this.check(merged);
      if (Array.isArray(checked)) return checked;
      if (live && (checked.budget?.kind ?? null) !== existing.budgetKind && existing.spent > 0) {
        return [
          problem(
            "input.budget.kind",
            "LOCKED_AFTER_LAUNCH",
            "the budget's kind cannot change once it has been drawn",
          ),
        ];
      }
      if (checked.budget && checked.budget.amount < existing.spent) {
        return [
          problem(
            "input.budget.amount",
            "INVALID_BUDGET",
            `the budget cannot be below what was already spent (${existing.spent})`,
          ),
        ];
      }
      const before = describe(existing);
      Object.assign(existing, columnsOf(checked));
      // A raised budget lets offers flow again.
      if (
        existing.budgetExhaustedAt &&
        (existing.budget === null || existing.budget > existing.spent)
      ) {
        existing.budgetExhaustedAt = null;
      }
      existing.updatedAt = this.now();
      const saved = await manager.getRepository(CampaignEntity).save(existing);
      await recordAudit(manager, actor, {
        action: "campaign.update",
        entityType: "campaign",
        entityId: id,
        before,
        after: describe(saved),
      });
      return saved;
    });
  }

  /**
   * Moves a campaign by `action` (see campaign-status.ts). Launch freezes the audience in the
   * same transaction; an illegal move throws INVALID_TRANSITION (a user error).
   *
   * @returns the campaign after the move, or NOT_FOUND.
   * @throws {DomainError} INVALID_TRANSITION for a move its status does not allow, or a
   *   schedule without a start.
   */
  async transition(
    id: number,
    action: CampaignAction,
    actor: Actor,
  ): Promise<CampaignEntity | Problem[]> {
    return runInTransaction(
      this.dataSource,
      async (manager) => {
        const campaign = await this.lock(manager, id);
        if (!campaign) return [problem("id", "NOT_FOUND", `no campaign with id ${id}`)];
        return this.apply(manager, campaign, action, actor);
      },
      // A launch copies the whole audience with INSERT … SELECT: no shared locks on what it reads.
      { readCommitted: action === "launch" },
    );
  }

  /** Applies a transition to a locked campaign row in the caller's transaction. */
  private async apply(
    manager: EntityManager,
    campaign: CampaignEntity,
    action: CampaignAction,
    actor: Actor,
  ): Promise<CampaignEntity> {
    const from = campaign.status;
    const to = nextStatus(from, action);
    const now = this.now();
    if (action === "schedule" && !campaign.startsAt) {
      throw new DomainError(
        "INVALID_TRANSITION",
        "a campaign needs startsAt to be scheduled (or launch it now)",
        { field: "startsAt" },
      );
    }
    if ((action === "launch" || action === "resume") && campaign.endsAt && campaign.endsAt <= now) {
      throw new DomainError(
        "INVALID_TRANSITION",
        `the campaign's end (${campaign.endsAt.toISOString()}) has passed: move endsAt first`,
        { field: "endsAt" },
      );
    }
    let members: FrozenMembers | undefined;
    if (action === "launch") {
      const stored = JSON.parse(campaign.audienceJson) as StoredAudience;
      const runId = (await this.valueQueries.currentRunId()) ?? 0;
      members = await freezeMembers({
        manager,
        audiences: this.audiences,
        assigner: groupAssigner(await this.holdout(manager)),
        campaign,
        audience: stored.audience,
        segments: await this.segments.savedAudiences(),
        runId,
        joinedAt: now,
      });
      campaign.launchedAt = now;
      campaign.launchRunId = runId || null;
    }
    if (action === "end") campaign.endedAt = now;
    campaign.status = to;
    campaign.updatedAt = now;
    const saved = await manager.getRepository(CampaignEntity).save(campaign);
    await recordAudit(manager, actor, {
      action: `campaign.${action}`,
      entityType: "campaign",
      entityId: campaign.id,
      before: { status: from },
      after: { status: to, ...(members ? { members } : {}) },
    });
    // Events out, in the same transaction (the webhooks outbox): a launch starts the campaign,
    // an end after it ran ends it (cancelling a scheduled one announces nothing).
    if (action === "launch" && members) {
      await emitEvent(manager, {
        type: "campaign.started",
        key: `campaign:${saved.id}:started`,
        payload: {
          campaignId: String(saved.id),
          name: saved.name,
          startedAt: now.toISOString(),
          endsAt: saved.endsAt?.toISOString() ?? null,
          treatmentCustomers: members.treatment,
          controlCustomers: members.control,
        },
      });
    } else if (action === "end" && from !== "scheduled") {
      await emitEvent(manager, {
        type: "campaign.ended",
        key: `campaign:${saved.id}:ended`,
        payload: { campaignId: String(saved.id), name: saved.name, endedAt: now.toISOString() },
      });
    }
    return saved;
  }

  /**
   * Starts scheduled campaigns whose start has come and ends those whose end has passed, each
   * in its own transaction with its row locked and its status checked again, so that any
   * number of schedulers running at once start or end a campaign once.
   *
   * @returns the ids started and ended.
   */
  async runSchedule(): Promise<{
    launched: number[];
    ended: number[];
    failed: { id: number; error: string }[];
  }> {
    const now = this.now();
    const launched: number[] = [];
    const ended: number[] = [];
    const failed: { id: number; error: string }[] = [];
    const due = await this.dueCampaigns(now);
    const actor = systemActor("campaign-scheduler");
    for (const { id, action } of due) {
      try {
        const done = await runInTransaction(
          this.dataSource,
          async (manager) => {
            const campaign = await this.lock(manager, id);
            if (!campaign) return false;
            const stillDue =
              action === "launch"
                ? campaign.status === "scheduled" &&
                  campaign.startsAt !== null &&
                  campaign.startsAt <= now &&
                  (campaign.endsAt === null || campaign.endsAt > now)
                : ["scheduled", "running", "paused"].includes(campaign.status) &&
                  campaign.endsAt !== null &&
                  campaign.endsAt <= now;
            if (!stillDue) return false;
            await this.apply(manager, campaign, action, actor);
            return true;
          },
          { readCommitted: action === "launch" },
        );
        if (done) (action === "launch" ? launched : ended).push(id);
      } catch (error) {
        failed.push({ id, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return { launched, ended, failed };
  }

  /** Campaigns the scheduler has to move now (cheap: the status index). */
  async dueCampaigns(now = this.now()): Promise<{ id: number; action: "launch" | "end" }[]> {
    const rows = await this.dataSource
      .getRepository(CampaignEntity)
      .createQueryBuilder("c")
      .select(["c.id", "c.status", "c.startsAt", "c.endsAt"])
      .where("c.status IN (:...statuses)", { statuses: ["scheduled", "running", "paused"] })
      .getMany();
    const due: { id: number; action: "launch" | "end" }[] = [];
    for (const c of rows) {
      if (c.endsAt && c.endsAt <= now) due.push({ id: c.id, action: "end" });
      else if (c.status === "scheduled" && c.startsAt && c.startsAt <= now) {
        due.push({ id: c.id, action: "launch" });
      }
    }
    return due;
  }

  /**
   * What a campaign over an audience would be if launched now: the customers it holds, the
   * expected treatment and control sizes (the global holdout taken out) and the smallest effects
   * it could detect, from the spread of their spend in the pre-period.
   */
  async plan(input: {
    audience: CampaignInput["audience"];
    controlShare?: number | null;
    prePeriodDays?: number | null;
  }): Promise<CampaignPlan | Problem[]> {
    const checked = await this.check({
      name: "plan",
      audience: input.audience,
      offer: { bonusPoints: 1 },
      controlShare: input.controlShare,
      prePeriodDays: input.prePeriodDays,
    });
    if (Array.isArray(checked)) return checked;
    return planCampaign(this.dataSource, this.audiences, {
      audience: checked.parsedAudience,
      segments: await this.segments.savedAudiences(),
      controlShareBp: checked.controlShareBp,
      holdoutShareBp: (await this.holdout()).shareBp,
      prePeriodDays: checked.prePeriodDays,
      now: this.now(),
    });
  }

  /**
   * Records that a storefront honoured a campaign coupon on an order (see
   * {@link useCampaignCoupon}): once per coupon, replayable, audited.
   */
  useCoupon(
    input: { code: string; orderExternalId: string },
    actor: Actor,
  ): Promise<CouponUse | Problem[]> {
    return useCampaignCoupon(this.dataSource, input, actor);
  }

  /** A launched campaign's results (null before launch). */
  async results(campaign: CampaignEntity): Promise<MeasuredCampaign | null> {
    if (!campaign.launchedAt) return null;
    const [value, costPerPointMinor] = await Promise.all([
      this.valueSettings.get(),
      this.options.costPerPointMinor?.(this.dataSource.manager) ??
        Promise.resolve(defaultLoyaltySettings().costPerPointMinor),
    ]);
    return measureLaunchedCampaign(this.dataSource, campaign, {
      currency: this.options.currency,
      marginRate: value.settings.defaultMarginRate,
      costPerPointMinor,
      now: this.now(),
    });
  }

  /** A launched campaign's revenue per customer by day, treatment vs control (empty before). */
  timeline(campaign: CampaignEntity): Promise<CampaignTimelinePoint[]> {
    return measureCampaignTimeline(this.dataSource, campaign, {
      currency: this.options.currency,
      now: this.now(),
    });
  }

  /** The campaigns a customer is in, newest first, with the group. */
  async memberships(customerId: number): Promise<CampaignMembership[]> {
    const rows = (await this.dataSource.query(
      "SELECT campaign_id AS campaignId, grp, joined_at AS joinedAt, late FROM campaign_members WHERE customer_id = ? ORDER BY campaign_id DESC",
      [customerId],
    )) as {
      campaignId: number | string;
      grp: string;
      joinedAt: Date | string;
      late: number | string;
    }[];
    if (rows.length === 0) return [];
    const campaigns = await this.dataSource
      .getRepository(CampaignEntity)
      .createQueryBuilder("c")
      .where("c.id IN (:...ids)", { ids: rows.map((r) => Number(r.campaignId)) })
      .getMany();
    const byId = new Map(campaigns.map((c) => [c.id, c]));
    const coupons = await couponsOf(this.dataSource.manager, customerId);
    return rows.flatMap((r) => {
      const campaign = byId.get(Number(r.campaignId));
      if (!campaign) return [];
      return [
        {
          campaign,
          group: r.grp === "C" ? ("CONTROL" as const) : ("TREATMENT" as const),
          joinedAt:
            r.joinedAt instanceof Date
              ? r.joinedAt
              : new Date(`${String(r.joinedAt).replace(" ", "T")}Z`),
          late: Number(r.late) === 1,
          coupon: r.grp === "T" ? (coupons.get(campaign.id) ?? null) : null,
        },
      ];
    });
  }

  /** Members by group. */
  async memberCounts(campaignId: number): Promise<{ treatment: number; control: number }> {
    const rows = (await this.dataSource.query(
      "SELECT grp, COUNT(*) AS n FROM campaign_members WHERE campaign_id = ? GROUP BY grp",
      [campaignId],
    )) as { grp: string; n: number | string }[];
    const of = (g: string) => Number(rows.find((r) => r.grp === g)?.n ?? 0);
    return { treatment: of("T"), control: of("C") };
  }

  /** The global holdout setting (none until set). */
  async holdout(manager: EntityManager = this.dataSource.manager): Promise<HoldoutSetting> {
    const row = await manager.getRepository(CampaignSettingsEntity).findOneBy({ id: 1 });
    return row
      ? { shareBp: row.holdoutShareBp, salt: row.holdoutSalt }
      : { shareBp: 0, salt: GLOBAL_HOLDOUT_SALT };
  }

  async settings(): Promise<CampaignSettingsEntity | null> {
    return this.dataSource.getRepository(CampaignSettingsEntity).findOneBy({ id: 1 });
  }

  /**
   * Sets the global holdout: a share of all customers (0 to 0.5) excluded from every campaign
   * launched from now on (members already frozen stay), and the salt of its hash.
   */
  async updateHoldout(
    input: { share: number; salt?: string | null },
    actor: Actor,
  ): Promise<CampaignSettingsEntity | Problem[]> {
    const bp = Math.round(input.share * 10_000);
    if (
      !Number.isFinite(input.share) ||
      input.share < 0 ||
      input.share > 0.5 ||
      Math.abs(bp - input.share * 10_000) > 1e-6
    ) {
      return [
        problem(
          "input.share",
          "INVALID_SHARE",
          `share must be from 0 to 0.5 in steps of 0.0001 (got ${input.share})`,
        ),
      ];
    }
    const salt = input.salt?.trim();
    if (salt !== undefined && (salt.length === 0 || salt.length > 64)) {
      return [problem("input.salt", "INVALID_SALT", "the salt is 1 to 64 characters")];
    }
    return runInTransaction(this.dataSource, async (manager) => {
      const repo = manager.getRepository(CampaignSettingsEntity);
      const before = await repo.findOneBy({ id: 1 });
      const saved = await repo.save(
        repo.create({
          id: 1,
          holdoutShareBp: bp,
          holdoutSalt: salt ?? before?.holdoutSalt ?? GLOBAL_HOLDOUT_SALT,
          updatedBy: actor.label.slice(0, 254),
          updatedAt: this.now(),
        }),
      );
      await recordAudit(manager, actor, {
        action: "campaign.holdout.update",
        entityType: "campaign_settings",
        before: before ? { shareBp: before.holdoutShareBp, salt: before.holdoutSalt } : null,
        after: { shareBp: saved.holdoutShareBp, salt: saved.holdoutSalt },
      });
      return saved;
    });
  }

  /** Input checks, then the tiers and the segment the audience names must exist. */
  private async check(input: CampaignInput): Promise<CheckedCampaign | Problem[]> {
    const checked = checkCampaign(input, this.options.currency);
    if (Array.isArray(checked)) return checked;
    const problems: Problem[] = [];
    if (checked.audience.tierKeys.length > 0) {
      const known = new Set((await this.tiers.list()).map((t) => t.key));
      const unknown = checked.audience.tierKeys.filter((k) => !known.has(k));
      if (unknown.length > 0) {
        problems.push(
          problem(
            "input.audience.tierKeys",
            "UNKNOWN_TIER",
            `no tier ${unknown.map((k) => JSON.stringify(k)).join(", ")}${known.size ? ` (tiers: ${[...known].join(", ")})` : ""}`,
          ),
        );
      }
    }
    if (
      checked.audience.segmentId !== null &&
      !(await this.segments.find(checked.audience.segmentId))
    ) {
      problems.push(
        problem(
          "input.audience.segmentId",
          "NOT_FOUND",
          `no segment with id ${checked.audience.segmentId}`,
        ),
      );
    }
    return problems.length > 0 ? problems : checked;
  }

  private lock(manager: EntityManager, id: number): Promise<CampaignEntity | null> {
    return forUpdate(manager.getRepository(CampaignEntity).createQueryBuilder("c"))
      .where("c.id = :id", { id })
      .getOne();
  }

  /** `base`, or `base-2`, `base-3`, … the first not taken. */
  private async freeKey(manager: EntityManager, base: string): Promise<string> {
    const rows = (await manager.query(
      "SELECT campaign_key AS k FROM campaigns WHERE campaign_key = ? OR campaign_key LIKE ?",
      [base, `${base}-%`],
    )) as { k: string }[];
    const taken = new Set(rows.map((r) => r.k));
    if (!taken.has(base) && base !== GLOBAL_HOLDOUT_SALT) return base;
    for (let i = 2; ; i++) {
      const key = `${base.slice(0, 58)}-${i}`;
      if (!taken.has(key)) return key;
    }
  }
}

/** The entity columns of a checked definition. */
function columnsOf(checked: CheckedCampaign): Partial<CampaignEntity> {
  const stored: StoredAudience = { spec: checked.audience, audience: checked.parsedAudience };
  return {
    name: checked.name,
    audienceJson: JSON.stringify(stored),
    offerJson: JSON.stringify(checked.offer),
    startsAt: checked.startsAt,
    endsAt: checked.endsAt,
    timeZone: checked.timeZone,
    controlShareBp: checked.controlShareBp,
    prePeriodDays: checked.prePeriodDays,
    budgetKind: checked.budget?.kind ?? null,
    budget: checked.budget?.amount ?? null,
    onBudgetExhausted: checked.budget?.onExhausted ?? "stop_offers",
  };
}

/** What the audit log keeps of a campaign. */
function describe(c: CampaignEntity): Record<string, unknown> {
  return {
    key: c.key,
    name: c.name,
    status: c.status,
    audience: (JSON.parse(c.audienceJson) as StoredAudience).spec,
    offer: JSON.parse(c.offerJson) as unknown,
    startsAt: c.startsAt,
    endsAt: c.endsAt,
    timeZone: c.timeZone,
    controlShareBp: c.controlShareBp,
    budget: c.budgetKind
      ? { kind: c.budgetKind, amount: c.budget, onExhausted: c.onBudgetExhausted }
      : null,
  };
}
