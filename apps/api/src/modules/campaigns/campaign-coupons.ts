import type { DataSource, EntityManager } from "typeorm";
import { chunks, inList, sqlDialect } from "../../db/sql-dialect";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import { runInTransaction } from "../../db/transaction";
import { problem, type Problem } from "../../errors/domain-error";
import { recordAudit, type Actor } from "../audit/audit.service";
import { newCouponCode } from "../loyalty/coupon-code";
import type { CampaignEntity } from "./campaign.entity";
import type { CampaignOffer } from "./campaign-input";
import { execute, insertIgnore } from "./campaign-sql";

/** Rows per INSERT: 2,000 × 5 parameters stays far below every driver's placeholder limit. */
const ROWS_PER_STATEMENT = 2000;
/** Draws of a fresh code for a customer whose code collided (60 random bits: practically never). */
const MAX_DRAWS = 5;

/** What one call issued. */
export interface IssuedCoupons {
  issued: number;
  /** Treated members left without a coupon because the money budget could not pay its face value. */
  unpaid: number;
}

/**
 * Issues the campaign's coupon (if its offer has one) to treated members, in the caller's
 * transaction: one row per (campaign, customer) in `campaign_coupons`, whose code is the offer's
 * code followed by 12 characters from a cryptographic random source (unique index across all
 * campaigns). Rows go in multi-row `INSERT IGNORE`s of 2,000: a member who already has a coupon
 * (a retried launch, a concurrent later entrant) is skipped by the primary key, and a member whose
 * drawn code collided with another's is found missing afterwards and drawn again.
 *
 * Budget: with a money budget each coupon draws its face value, once, for the rows this call
 * inserted, by one conditional UPDATE under the campaign's row lock; members the remaining budget
 * cannot pay get no coupon and the offers stop (`budget_exhausted_at`). A points budget is not
 * drawn by coupons (their face value is money). `campaign` is kept in step with what was written
 * (`spent`, `budgetExhaustedAt`), since the launch saves it afterwards.
 *
 * @param treated customer ids of treated members (control members must never be passed).
 */
export async function issueCoupons(
  manager: EntityManager,
  campaign: CampaignEntity,
  treated: readonly number[],
  issuedAt: Date,
): Promise<IssuedCoupons> {
  const offer = JSON.parse(campaign.offerJson) as CampaignOffer;
  if (!offer.coupon || treated.length === 0) return { issued: 0, unpaid: 0 };
  const face = offer.coupon.amountMinor;
  const dialect = sqlDialect(manager.connection);
  const at = toSqlDateTime(issuedAt);

  let pending = await withoutCoupon(
    manager,
    campaign.id,
    [...treated].sort((a, b) => a - b),
  );
  let unpaid = 0;
  const money = campaign.budgetKind === "money";
  if (money) {
    const [row] = (await manager.query(
      `SELECT budget, spent, budget_exhausted_at AS exhausted FROM campaigns WHERE id = ?${dialect.forUpdate}`,
      [campaign.id],
    )) as { budget: string | number | null; spent: string | number; exhausted: unknown }[];
    const budget = row?.budget === null || row?.budget === undefined ? null : Number(row.budget);
    const capacity =
      row?.exhausted !== null && row?.exhausted !== undefined
        ? 0
        : budget === null
          ? pending.length
          : Math.max(0, Math.floor((budget - Number(row!.spent)) / face));
    if (capacity < pending.length) {
      unpaid = pending.length - capacity;
      pending = pending.slice(0, capacity);
    }
  }

  let issued = 0;
  for (let draw = 0; pending.length > 0; draw++) {
    if (draw >= MAX_DRAWS) {
      throw new Error(
        `campaign ${campaign.id}: ${pending.length} coupon codes still collided after ${MAX_DRAWS} draws`,
      );
    }
    for (const part of chunks(pending, ROWS_PER_STATEMENT)) {
      const params: (string | number)[] = [];
      for (const id of part)
        params.push(campaign.id, id, newCouponCode(offer.coupon.code), face, at);
      issued += await execute(
        manager,
        `${insertIgnore(manager)} INTO campaign_coupons (campaign_id, customer_id, code, face_value_minor, issued_at) VALUES ` +
          part.map(() => "(?, ?, ?, ?, ?)").join(", "),
        params,
      );
    }
    // Members still without a coupon: their code collided (the primary key skips those that had one).
    pending = await withoutCoupon(manager, campaign.id, pending);
  }

  if (money && issued > 0) {
    const cost = issued * face;
    const drawn = await execute(
      manager,
      "UPDATE campaigns SET spent = spent + ? WHERE id = ? AND (budget IS NULL OR spent + ? <= budget)",
      [cost, campaign.id, cost],
    );
    // The capacity was computed under the row lock, so the draw cannot fail; if it did, the
    // transaction must not commit coupons nobody paid for.
    if (drawn !== 1)
      throw new Error(`campaign ${campaign.id}: the budget could not pay ${issued} coupons`);
    campaign.spent += cost;
  }
  if (unpaid > 0 && campaign.budgetExhaustedAt === null) {
    campaign.budgetExhaustedAt = issuedAt;
    await execute(
      manager,
      "UPDATE campaigns SET budget_exhausted_at = ? WHERE id = ? AND budget_exhausted_at IS NULL",
      [at, campaign.id],
    );
  }
  return { issued, unpaid };
}

/** Those of `customerIds` (sorted) with no coupon of the campaign yet. */
async function withoutCoupon(
  manager: EntityManager,
  campaignId: number,
  customerIds: readonly number[],
): Promise<number[]> {
  const have = new Set<number>();
  for (const part of chunks(customerIds, 5000)) {
    const rows = (await manager.query(
      `SELECT customer_id AS id FROM campaign_coupons WHERE campaign_id = ? AND customer_id IN (${inList(part.length)})`,
      [campaignId, ...part],
    )) as { id: number | string }[];
    for (const row of rows) have.add(Number(row.id));
  }
  return customerIds.filter((id) => !have.has(id));
}

/** A customer's coupon codes by campaign (treated members only ever have one). */
export async function couponsOf(
  manager: EntityManager,
  customerId: number,
): Promise<Map<number, string>> {
  const rows = (await manager.query(
    "SELECT campaign_id AS id, code FROM campaign_coupons WHERE customer_id = ?",
    [customerId],
  )) as { id: number | string; code: string }[];
  return new Map(rows.map((r) => [Number(r.id), r.code]));
}

/**
 * Coupons a campaign issued, and their face value in all (minor units); and of those, how many
 * were used on an order and their face value.
 */
export async function couponTotals(
  manager: EntityManager,
  campaignId: number,
): Promise<{
  count: number;
  faceValueMinor: number;
  perCoupon: { faceValueMinor: number; count: number }[];
  used: number;
  usedFaceValueMinor: number;
}> {
  const rows = (await manager.query(
    "SELECT face_value_minor AS face, COUNT(*) AS n, COUNT(used_at) AS used FROM campaign_coupons " +
      "WHERE campaign_id = ? GROUP BY face_value_minor",
    [campaignId],
  )) as { face: string | number; n: string | number; used: string | number }[];
  const perCoupon = rows.map((r) => ({ faceValueMinor: Number(r.face), count: Number(r.n) }));
  return {
    count: perCoupon.reduce((s, p) => s + p.count, 0),
    faceValueMinor: perCoupon.reduce((s, p) => s + p.count * p.faceValueMinor, 0),
    perCoupon,
    used: rows.reduce((s, r) => s + Number(r.used), 0),
    usedFaceValueMinor: rows.reduce((s, r) => s + Number(r.used) * Number(r.face), 0),
  };
}

/** A campaign coupon recorded as used on an order. */
export interface CouponUse {
  code: string;
  campaignId: number;
  faceValueMinor: number;
  usedAt: Date;
  orderId: number;
  /** The same use was recorded before (same code, same order): nothing changed now. */
  replayed: boolean;
}

/**
 * Records that a storefront honoured a campaign coupon on an order (`useCampaignCoupon`): the
 * code must exist, the order must be stored and belong to the customer the coupon was issued
 * to, and a coupon is used once. Recording the same use again is a replay that changes nothing,
 * so a storefront may retry. The coupon row is locked, so two orders racing for one code cannot
 * both have it. Audited.
 *
 * @returns the use, or the problems: UNKNOWN_COUPON, UNKNOWN_ORDER, COUPON_NOT_ISSUED_TO_CUSTOMER,
 *   COUPON_ALREADY_USED (on another order). Messages name only what the caller sent.
 */
export async function useCampaignCoupon(
  dataSource: DataSource,
  input: { code: string; orderExternalId: string },
  actor: Actor,
  now: () => Date = () => new Date(),
): Promise<CouponUse | Problem[]> {
  const code = input.code.trim();
  const orderExternalId = input.orderExternalId.trim();
  const missing: Problem[] = [];
  if (code === "") missing.push(problem("input.code", "REQUIRED", "give the coupon's code"));
  if (orderExternalId === "") {
    missing.push(problem("input.orderExternalId", "REQUIRED", "give the order's external id"));
  }
  if (missing.length > 0) return missing;
  const dialect = sqlDialect(dataSource);
  return runInTransaction(
    dataSource,
    async (manager): Promise<CouponUse | Problem[]> => {
      const [coupon] = (await manager.query(
        "SELECT campaign_id, customer_id, code, face_value_minor, used_at, used_order_id " +
          `FROM campaign_coupons WHERE code = ?${dialect.forUpdate}`,
        [code],
      )) as {
        campaign_id: number | string;
        customer_id: number | string;
        code: string;
        face_value_minor: number | string;
        used_at: Date | string | null;
        used_order_id: number | string | null;
      }[];
      if (!coupon) {
        return [
          problem("input.code", "UNKNOWN_COUPON", `no campaign coupon has the code "${code}"`),
        ];
      }
      const [order] = (await manager.query(
        "SELECT id, customer_id FROM orders WHERE external_id = ?",
        [orderExternalId],
      )) as { id: number | string; customer_id: number | string }[];
      if (!order) {
        return [
          problem(
            "input.orderExternalId",
            "UNKNOWN_ORDER",
            `no order with external id "${orderExternalId}": record the order first`,
          ),
        ];
      }
      if (Number(order.customer_id) !== Number(coupon.customer_id)) {
        return [
          problem(
            "input.code",
            "COUPON_NOT_ISSUED_TO_CUSTOMER",
            `coupon "${code}" was not issued to the customer of order "${orderExternalId}"`,
          ),
        ];
      }
      const use = {
        code: coupon.code,
        campaignId: Number(coupon.campaign_id),
        faceValueMinor: Number(coupon.face_value_minor),
        orderId: Number(order.id),
      };
      if (coupon.used_at !== null) {
        if (Number(coupon.used_order_id) === use.orderId) {
          return { ...use, usedAt: fromSqlDateTime(coupon.used_at)!, replayed: true };
        }
        return [
          problem(
            "input.code",
            "COUPON_ALREADY_USED",
            `coupon "${code}" was already used on another order`,
          ),
        ];
      }
      const usedAt = now();
      await manager.query(
        "UPDATE campaign_coupons SET used_at = ?, used_order_id = ? WHERE campaign_id = ? AND customer_id = ?",
        [toSqlDateTime(usedAt), use.orderId, use.campaignId, Number(coupon.customer_id)],
      );
      await recordAudit(manager, actor, {
        action: "campaign.coupon_use",
        entityType: "campaign",
        entityId: use.campaignId,
        after: { code: use.code, orderId: use.orderId },
      });
      return { ...use, usedAt, replayed: false };
    },
    { readCommitted: true },
  );
}
