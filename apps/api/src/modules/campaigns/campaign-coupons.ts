import type { EntityManager } from "typeorm";
import { chunks, inList, sqlDialect } from "../../db/sql-dialect";
import { toSqlDateTime } from "../../db/sql-values";
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

/** Coupons a campaign issued, and their face value in all (minor units). */
export async function couponTotals(
  manager: EntityManager,
  campaignId: number,
): Promise<{
  count: number;
  faceValueMinor: number;
  perCoupon: { faceValueMinor: number; count: number }[];
}> {
  const rows = (await manager.query(
    "SELECT face_value_minor AS face, COUNT(*) AS n FROM campaign_coupons WHERE campaign_id = ? GROUP BY face_value_minor",
    [campaignId],
  )) as { face: string | number; n: string | number }[];
  const perCoupon = rows.map((r) => ({ faceValueMinor: Number(r.face), count: Number(r.n) }));
  return {
    count: perCoupon.reduce((s, p) => s + p.count, 0),
    faceValueMinor: perCoupon.reduce((s, p) => s + p.count * p.faceValueMinor, 0),
    perCoupon,
  };
}
