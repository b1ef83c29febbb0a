import { defaultLoyaltySettings, GLOBAL_HOLDOUT_SALT, type Audience } from "@valuetier/domain";
import type { EntityManager } from "typeorm";
import { chunks, inList, sqlDialect } from "../../db/sql-dialect";
import { toSqlDateTime } from "../../db/sql-values";
import { recordAudit, systemActor } from "../audit/audit.service";
import type { AudienceService } from "../audiences/audience.service";
import type { BoostEffect, EarningBoost, EarningBoosts } from "../loyalty/earning-boosts";
import type { SegmentService } from "../segments/segment.service";
import type { ValueQueryService } from "../value/value-query.service";
import { CampaignEntity, CampaignSettingsEntity } from "./campaign.entity";
import type { CampaignOffer } from "./campaign-input";
import { execute, freezeMembers } from "./campaign-members";
import { groupAssigner } from "./group-assignment";

const SOURCE = /^campaign:([1-9]\d{0,14})$/;
const IDS_PER_STATEMENT = 1000;

export interface CampaignBoostsOptions {
  audiences: AudienceService;
  segments: SegmentService;
  valueQueries: ValueQueryService;
  /** What one point costs in minor units (the loyalty setting), read in the caller's transaction. */
  costPerPointMinor?: (manager: EntityManager) => Promise<string>;
  now?: () => Date;
}

/** The source of a campaign's boosts and bonus entries. */
export const campaignSource = (campaignId: number): string => `campaign:${campaignId}`;

/**
 * What running campaigns add to the points of orders (the loyalty seam {@link EarningBoosts}).
 *
 * - Only treated members of a running campaign get its offer, for orders placed from its launch
 *   until its end; control members and the global holdout get nothing, and nothing else reads
 *   the offer for them.
 * - Later entrants: a customer who is not a member but matches the campaign's audience when an
 *   order of theirs is recorded while it runs joins then (late = 1, joined at that moment), with
 *   the group from the same stable hash; that order is their first qualifying one and, if they
 *   are treated, earns the offer.
 * - Budget: each (campaign, order) effect is a row keyed by both, and its cost is drawn by a
 *   conditional UPDATE (`spent + cost <= budget`) in the earning transaction, so it is drawn once
 *   and never past the budget, however many orders are recorded at once. An effect the budget
 *   cannot pay is refused whole (the order earns without it); the campaign then stops its offers
 *   (`stop_offers`, it keeps running for measurement) or pauses (`pause`).
 */
export class CampaignBoosts implements EarningBoosts {
  constructor(private readonly options: CampaignBoostsOptions) {}

  async forOrders(
    manager: EntityManager,
    orders: readonly { orderId: string; customerId: string; placedAt: Date }[],
  ): Promise<Map<string, EarningBoost[]>> {
    const result = new Map<string, EarningBoost[]>();
    if (orders.length === 0) return result;
    // Every running campaign with offers flowing takes later entrants (a coupon or a reward
    // unlock is an offer too); only those with points add a boost.
    const running = (
      await manager.getRepository(CampaignEntity).find({ where: { status: "running" } })
    ).filter((c) => c.budgetExhaustedAt === null && c.launchedAt !== null);
    if (running.length === 0) return result;
    let holdout: { shareBp: number; salt: string } | undefined;
    let segments: Awaited<ReturnType<SegmentService["savedAudiences"]>> | undefined;
    let runId: number | undefined;

    for (const campaign of running.sort((a, b) => a.id - b.id)) {
      const inWindow = orders.filter(
        (o) =>
          o.placedAt >= campaign.launchedAt! &&
          (campaign.endsAt === null || o.placedAt < campaign.endsAt),
      );
      if (inWindow.length === 0) continue;
      const customerIds = [...new Set(inWindow.map((o) => Number(o.customerId)))];
      let groups = await this.groupsOf(manager, campaign.id, customerIds);
      const newcomers = customerIds.filter((id) => !groups.has(id));
      if (newcomers.length > 0) {
        holdout ??= await this.holdout(manager);
        segments ??= await this.options.segments.savedAudiences();
        runId ??= (await this.options.valueQueries.currentRunId()) ?? 0;
        const audience = (JSON.parse(campaign.audienceJson) as { audience: Audience }).audience;
        const now = this.options.now?.() ?? new Date();
        const joined = await freezeMembers({
          manager,
          audiences: this.options.audiences,
          assigner: groupAssigner(holdout),
          campaign,
          audience,
          segments,
          runId,
          joinedAt: now,
          onlyCustomers: newcomers,
          ignoreDuplicates: true,
        });
        if (joined.treatment + joined.control > 0) {
          groups = await this.groupsOf(manager, campaign.id, customerIds);
        }
      }
      const offer = JSON.parse(campaign.offerJson) as CampaignOffer;
      if (!(offer.bonusPoints > 0 || Number(offer.pointsMultiplier) > 1)) continue;
      const boost: EarningBoost = {
        source: campaignSource(campaign.id),
        multiplier: offer.pointsMultiplier,
        bonusPoints: offer.bonusPoints,
      };
      for (const o of inWindow) {
        if (groups.get(Number(o.customerId)) !== "T") continue;
        const list = result.get(o.orderId) ?? [];
        list.push(boost);
        result.set(o.orderId, list);
      }
    }
    return result;
  }

  async recordEffects(
    manager: EntityManager,
    effects: readonly BoostEffect[],
  ): Promise<BoostEffect[]> {
    const accepted: BoostEffect[] = [];
    const byCampaign = new Map<number, BoostEffect[]>();
    for (const effect of effects) {
      const match = SOURCE.exec(effect.source);
      if (!match) {
        accepted.push(effect); // not a campaign's: nothing of ours to draw
        continue;
      }
      const id = Number(match[1]);
      const list = byCampaign.get(id) ?? [];
      list.push(effect);
      byCampaign.set(id, list);
    }
    if (byCampaign.size === 0) return accepted;
    const now = this.options.now?.() ?? new Date();
    const dialect = sqlDialect(manager.connection);
    let costPerPoint: string | undefined;

    // In id order, so that concurrent earnings lock campaign rows in one order (no deadlock).
    for (const campaignId of [...byCampaign.keys()].sort((a, b) => a - b)) {
      const list = byCampaign.get(campaignId)!;
      const campaign = await manager.getRepository(CampaignEntity).findOneBy({ id: campaignId });
      if (!campaign) continue; // unknown campaign: refused
      // Effects already recorded (a retried order): drawn before, accepted without drawing again.
      // A locking read, so that it sees what a concurrent transaction committed.
      const recorded = new Set<string>();
      for (const part of chunks(list, IDS_PER_STATEMENT)) {
        const rows = (await manager.query(
          `SELECT order_id AS id FROM campaign_effects WHERE campaign_id = ? AND order_id IN (${inList(part.length)})${dialect.forUpdate}`,
          [campaignId, ...part.map((e) => Number(e.orderId))],
        )) as { id: number | string }[];
        for (const row of rows) recorded.add(String(row.id));
      }
      const fresh: { effect: BoostEffect; cost: number }[] = [];
      const seen = new Set<string>();
      for (const effect of list) {
        if (recorded.has(effect.orderId)) {
          accepted.push(effect);
          continue;
        }
        if (seen.has(effect.orderId) || effect.extraPoints < 0) continue;
        seen.add(effect.orderId);
        let cost = effect.extraPoints;
        if (campaign.budgetKind === "money") {
          costPerPoint ??= await this.costPerPoint(manager);
          cost = moneyCost(effect.extraPoints, costPerPoint);
        }
        fresh.push({ effect, cost });
      }
      if (fresh.length === 0) continue;

      const draw = (amount: number) =>
        execute(
          manager,
          "UPDATE campaigns SET spent = spent + ? WHERE id = ? AND status = 'running' AND budget_exhausted_at IS NULL AND (budget IS NULL OR spent + ? <= budget)",
          [amount, campaignId, amount],
        );
      const total = fresh.reduce((s, f) => s + f.cost, 0);
      let paid: typeof fresh;
      if ((await draw(total)) === 1) paid = fresh;
      else {
        // Not all fit: pay in order while the budget lasts, so it is used up to its last point.
        paid = [];
        for (const f of fresh) if ((await draw(f.cost)) === 1) paid.push(f);
      }
      if (paid.length < fresh.length) await this.exhausted(manager, campaign, now);
      if (paid.length === 0) continue;
      const at = toSqlDateTime(now);
      for (const part of chunks(paid, 1000)) {
        const statement = dialect.insert(
          "campaign_effects",
          ["campaign_id", "order_id", "customer_id", "extra_points", "cost", "created_at"],
          part.flatMap((p) => [
            campaignId,
            Number(p.effect.orderId),
            Number(p.effect.customerId),
            p.effect.extraPoints,
            p.cost,
            at,
          ]),
        );
        await manager.query(statement.sql, statement.params);
      }
      accepted.push(...paid.map((p) => p.effect));
    }
    return accepted;
  }

  /** The budget could not pay an effect: offers stop, or the campaign pauses, as it says. */
  private async exhausted(manager: EntityManager, campaign: CampaignEntity, now: Date) {
    const pause = campaign.onBudgetExhausted === "pause";
    const changed = await execute(
      manager,
      "UPDATE campaigns SET budget_exhausted_at = ?, status = ?, updated_at = ? WHERE id = ? AND budget_exhausted_at IS NULL",
      [
        toSqlDateTime(now),
        pause && campaign.status === "running" ? "paused" : campaign.status,
        toSqlDateTime(now),
        campaign.id,
      ],
    );
    if (changed === 1) {
      await recordAudit(manager, systemActor("campaign-budget"), {
        action: pause ? "campaign.pause" : "campaign.budget_exhausted",
        entityType: "campaign",
        entityId: campaign.id,
        before: { status: campaign.status },
        after: { status: pause ? "paused" : campaign.status, budgetExhaustedAt: now.toISOString() },
      });
    }
  }

  private async groupsOf(
    manager: EntityManager,
    campaignId: number,
    customerIds: readonly number[],
  ): Promise<Map<number, "T" | "C">> {
    const groups = new Map<number, "T" | "C">();
    for (const part of chunks(customerIds, IDS_PER_STATEMENT)) {
      const rows = (await manager.query(
        `SELECT customer_id AS id, grp FROM campaign_members WHERE campaign_id = ? AND customer_id IN (${inList(part.length)})`,
        [campaignId, ...part],
      )) as { id: number | string; grp: "T" | "C" }[];
      for (const row of rows) groups.set(Number(row.id), row.grp);
    }
    return groups;
  }

  private async holdout(manager: EntityManager) {
    const row = await manager.getRepository(CampaignSettingsEntity).findOneBy({ id: 1 });
    return row
      ? { shareBp: row.holdoutShareBp, salt: row.holdoutSalt }
      : { shareBp: 0, salt: GLOBAL_HOLDOUT_SALT };
  }

  private costPerPoint(manager: EntityManager): Promise<string> {
    return this.options.costPerPointMinor
      ? this.options.costPerPointMinor(manager)
      : Promise.resolve(defaultLoyaltySettings().costPerPointMinor);
  }
}

/**
 * What `points` cost in minor units at `perPoint` (a decimal such as "0.5"), rounded half up to
 * a whole minor unit: exact, without binary floats.
 */
export function moneyCost(points: number, perPoint: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(perPoint.trim());
  if (!match)
    throw new RangeError(
      `cost per point must be a decimal such as "0.5", got ${JSON.stringify(perPoint)}`,
    );
  const fraction = match[2] ?? "";
  const numerator = BigInt(points) * BigInt(match[1]! + fraction);
  const denominator = 10n ** BigInt(fraction.length);
  const whole = numerator / denominator;
  return Number(2n * (numerator % denominator) >= denominator ? whole + 1n : whole);
}
