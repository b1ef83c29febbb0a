import type { Audience } from "@valuetier/domain";
import type { EntityManager } from "typeorm";
import { chunks, inList } from "../../db/sql-dialect";
import { toSqlDateTime } from "../../db/sql-values";
import type { AudienceService } from "../audiences/audience.service";
import type { CompileOptions } from "../audiences/compile-audience";
import type { CampaignEntity } from "./campaign.entity";
import { issueCoupons } from "./campaign-coupons";
import { execute, insertIgnore } from "./campaign-sql";
import type { GroupAssigner } from "./group-assignment";

const DAY_MS = 86_400_000;
const IDS_PER_STATEMENT = 5000;

export interface FreezeOptions {
  manager: EntityManager;
  audiences: AudienceService;
  assigner: GroupAssigner;
  campaign: CampaignEntity;
  audience: Audience;
  segments: CompileOptions["segments"];
  /** The scoring run whose values the audience and the CLV snapshot read (0: none yet). */
  runId: number;
  /** When the members join: the launch, or the moment later entrants were recorded. */
  joinedAt: Date;
  /** Later entrants: only these customers, and only those not yet members. */
  onlyCustomers?: readonly number[];
  /**
   * Skip a customer a concurrent transaction made a member a moment ago (later entrants, in
   * earning transactions) instead of failing on the primary key.
   */
  ignoreDuplicates?: boolean;
}

/** Members frozen by one call, by group. */
export interface FrozenMembers {
  treatment: number;
  control: number;
  /** Eligible but in the global holdout, so not in the campaign. */
  heldOut: number;
  /** Coupons issued to the treated members (when the offer has a coupon). */
  coupons?: number;
}

/**
 * Freezes the audience of a campaign into `campaign_members` in the caller's transaction:
 * one INSERT … SELECT through the audience compiler's SQL writes every eligible customer with
 * the covariates measured before joining (predicted CLV of the current run, spend and orders in
 * the pre-period); then each member's group comes from the one stable hash (the domain's), and
 * only the control members and the global holdout are touched again, by id.
 *
 * Set-based: for 100,000 customers it is one INSERT … SELECT, one read of the ids and a few
 * UPDATE/DELETE statements of 5,000 ids each.
 */
export async function freezeMembers(options: FreezeOptions): Promise<FrozenMembers> {
  const { manager, campaign, joinedAt } = options;
  const late = options.onlyCustomers !== undefined;
  if (late && options.onlyCustomers!.length === 0) return { treatment: 0, control: 0, heldOut: 0 };
  const { from, where, params } = await options.audiences.query(
    options.audience,
    options.segments,
    options.runId,
  );
  const preStart = new Date(joinedAt.getTime() - campaign.prePeriodDays * DAY_MS);
  const joined = toSqlDateTime(joinedAt);
  const preFrom = toSqlDateTime(preStart);
  const preOrders =
    "FROM orders o WHERE o.customer_id = c.id AND o.status = 'completed' AND o.placed_at >= ? AND o.placed_at < ?";
  let restrict = "";
  const restrictParams: (string | number)[] = [];
  if (late) {
    restrict =
      ` AND c.id IN (${inList(options.onlyCustomers!.length)})` +
      " AND NOT EXISTS (SELECT 1 FROM campaign_members em WHERE em.campaign_id = ? AND em.customer_id = c.id)";
    restrictParams.push(...options.onlyCustomers!, campaign.id);
  }
  const inserted = await execute(
    manager,
    `${options.ignoreDuplicates ? insertIgnore(manager) : "INSERT"} INTO campaign_members (campaign_id, customer_id, grp, joined_at, late, clv_minor, pre_spend_minor, pre_orders) ` +
      `SELECT ?, c.id, 'T', ?, ?, ` +
      "(SELECT cv.clv_minor FROM customer_values cv WHERE cv.run_id = ? AND cv.customer_id = c.id), " +
      `COALESCE((SELECT SUM(o.amount_minor) ${preOrders}), 0), ` +
      `(SELECT COUNT(*) ${preOrders}) ` +
      `FROM ${from} WHERE (${where})${restrict}`,
    [
      campaign.id,
      joined,
      late ? 1 : 0,
      options.runId,
      preFrom,
      joined,
      preFrom,
      joined,
      ...params,
      ...restrictParams,
    ],
  );
  if (inserted === 0) return { treatment: 0, control: 0, heldOut: 0 };

  // The groups, by the one stable hash; the INSERT wrote everyone as treatment.
  const rows = (await manager.query(
    late
      ? `SELECT customer_id AS id FROM campaign_members WHERE campaign_id = ? AND joined_at = ? AND late = 1 AND customer_id IN (${inList(options.onlyCustomers!.length)})`
      : "SELECT customer_id AS id FROM campaign_members WHERE campaign_id = ?",
    late ? [campaign.id, joined, ...options.onlyCustomers!] : [campaign.id],
  )) as { id: number | string }[];
  const control: number[] = [];
  const heldOut: number[] = [];
  for (const row of rows) {
    const id = Number(row.id);
    const placement = options.assigner.place(campaign.key, id, campaign.controlShareBp);
    if (placement === "holdout") heldOut.push(id);
    else if (placement === "control") control.push(id);
  }
  for (const part of chunks(control, IDS_PER_STATEMENT)) {
    await manager.query(
      `UPDATE campaign_members SET grp = 'C' WHERE campaign_id = ? AND customer_id IN (${inList(part.length)})`,
      [campaign.id, ...part],
    );
  }
  for (const part of chunks(heldOut, IDS_PER_STATEMENT)) {
    await manager.query(
      `DELETE FROM campaign_members WHERE campaign_id = ? AND customer_id IN (${inList(part.length)})`,
      [campaign.id, ...part],
    );
  }
  // The offer's coupon, one unique code per treated member, in this transaction.
  const out = new Set([...control, ...heldOut]);
  const treated = rows.map((r) => Number(r.id)).filter((id) => !out.has(id));
  const coupons = await issueCoupons(manager, campaign, treated, joinedAt);
  return {
    treatment: treated.length,
    control: control.length,
    heldOut: heldOut.length,
    ...(coupons.issued + coupons.unpaid > 0 ? { coupons: coupons.issued } : {}),
  };
}

export { execute, insertIgnore } from "./campaign-sql";
