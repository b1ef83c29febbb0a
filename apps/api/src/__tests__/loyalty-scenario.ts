import { defaultLoyaltySettings, type LoyaltySettings } from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../modules/audit/audit.service";
import { ImportService } from "../modules/import/import.service";
import { JobRunner } from "../modules/jobs/job-runner";
import {
  LOYALTY_ACTIVATE_JOB,
  LOYALTY_EXPIRE_JOB,
  LOYALTY_RECONCILE_JOB,
  registerLoyaltyJobs,
  type LoyaltyHousekeepingResult,
} from "../modules/loyalty/loyalty-jobs";
import type { ReconcileReport } from "../modules/loyalty/loyalty-reconcile";
import { reconcileLoyalty } from "../modules/loyalty/loyalty-reconcile";
import { LoyaltyService, type PointsWrite } from "../modules/loyalty/loyalty.service";

const DAY = 86_400_000;
const actor = systemActor("test");
const admin = { type: "user" as const, id: 1, label: "admin@example.test" };

/** A clock the test moves by hand. */
function testClock(start: string) {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

function ok<T>(result: T | { code: string }[]): T {
  if (Array.isArray(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result;
}

/** A database for the scenario and how to get rid of it. */
export interface ScenarioDatabase {
  dataSource: DataSource;
  drop(): Promise<void>;
}

/**
 * The loyalty service end to end on one database (MySQL or the embedded SQLite): orders
 * recorded through recordOrders earn and refunds reverse, the activation and expiry jobs run
 * twice on the job runner, idempotent writes, redemption rules, reconciliation.
 */
export function describeLoyaltyService(label: string, open: () => Promise<ScenarioDatabase>): void {
  describe(`LoyaltyService on ${label}`, () => {
    let db: ScenarioDatabase;
    let runner: JobRunner;
    const clock = testClock("2026-03-01T12:00:00Z");
    let loyalty: LoyaltyService;
    let imports: ImportService;
    const ids = new Map<string, number>();

    async function customer(externalId: string): Promise<number> {
      await imports.upsertCustomers(
        [{ external_id: externalId, email: "", name: externalId, created_at: "2025-01-01" }],
        actor,
      );
      const rows: { id: number }[] = await db.dataSource.query(
        "SELECT id FROM customers WHERE external_id = ?",
        [externalId],
      );
      ids.set(externalId, Number(rows[0]!.id));
      return Number(rows[0]!.id);
    }

    const order = (id: string, customer: string, amount: string, status = "completed") => ({
      external_id: id,
      customer_external_id: customer,
      placed_at: "2026-02-28T10:00:00Z",
      amount,
      margin: "",
      currency: "USD",
      status,
    });

    beforeAll(async () => {
      db = await open();
      runner = registerLoyaltyJobs(new JobRunner(db.dataSource), db.dataSource, {
        defaultMarginRate: "0.3",
        now: clock.now,
      });
      loyalty = new LoyaltyService(db.dataSource, { defaultMarginRate: "0.3", now: clock.now });
      imports = new ImportService(db.dataSource, {
        currency: "USD",
        now: clock.now,
        onOrdersRecorded: (manager, orders) => loyalty.earnForOrders(manager, orders),
      });
      const settings: LoyaltySettings = {
        ...defaultLoyaltySettings(),
        pendingDays: 14,
        expiry: { kind: "rolling", days: 60 },
      };
      ok(await loyalty.updateSettings(settings, admin));
    });

    afterAll(async () => {
      await db?.drop();
    });

    it("earns on recordOrders in the same transaction, pending for the return window", async () => {
      const id = await customer("ann");
      const result = await imports.recordOrders(
        [order("A1", "ann", "120.50"), order("A2", "ann", "30.00")],
        actor,
      );
      expect(result.counts.created).toBe(2);
      const account = (await loyalty.account(id))!;
      expect(account).toMatchObject({
        balance: 150,
        pending: 150,
        available: 0,
        lifetimeEarned: 150,
      });
      // Recording the same orders again earns nothing more.
      await imports.recordOrders(
        [order("A1", "ann", "120.50"), order("A2", "ann", "30.00")],
        actor,
      );
      expect((await loyalty.account(id))!.balance).toBe(150);
    });

    it("a refund reverses what the order earned, and only once", async () => {
      const id = ids.get("ann")!;
      await imports.recordOrders([order("A2", "ann", "30.00", "refunded")], actor);
      expect((await loyalty.account(id))!).toMatchObject({ balance: 120, pending: 120 });
      await imports.recordOrders([order("A2", "ann", "30.00", "refunded")], actor);
      expect((await loyalty.account(id))!.balance).toBe(120);
      // An order recorded already refunded earns nothing.
      await imports.recordOrders([order("A3", "ann", "99.00", "refunded")], actor);
      expect((await loyalty.account(id))!.balance).toBe(120);
    });

    it("activation and expiry jobs on the job runner: the second run changes nothing", async () => {
      const id = ids.get("ann")!;
      const run = async (kind: string) =>
        (await runner.run<undefined, LoyaltyHousekeepingResult>(kind, undefined, actor)).result;
      clock.advance(15 * DAY);
      // Two lots: A1 (120 points) and A2, reversed to 0 while pending, which activates empty.
      expect(await run(LOYALTY_ACTIVATE_JOB)).toMatchObject({
        accounts: 1,
        entries: 2,
        points: 120,
      });
      expect(await run(LOYALTY_ACTIVATE_JOB)).toMatchObject({ accounts: 0, entries: 0, points: 0 });
      expect((await loyalty.account(id))!).toMatchObject({
        balance: 120,
        available: 120,
        pending: 0,
      });
      clock.advance(46 * DAY);
      // Read before the job runs, the account already counts the points as expired.
      expect((await loyalty.account(id))!).toMatchObject({ balance: 0, expired: 120 });
      expect(await run(LOYALTY_EXPIRE_JOB)).toMatchObject({ accounts: 1, entries: 1, points: 120 });
      const entries = await db.dataSource.query("SELECT COUNT(*) AS n FROM loyalty_entries");
      expect(await run(LOYALTY_EXPIRE_JOB)).toMatchObject({ accounts: 0, entries: 0, points: 0 });
      expect(await db.dataSource.query("SELECT COUNT(*) AS n FROM loyalty_entries")).toEqual(
        entries,
      );
      expect((await loyalty.account(id))!).toMatchObject({ balance: 0, expired: 120 });
    });

    it("earnPoints and adjustPoints are idempotent by key; a key reused elsewhere is refused", async () => {
      const id = await customer("bob");
      const first = ok(
        await loyalty.earnPoints(
          { customerId: id, points: 40, reason: "welcome", idempotencyKey: "k1" },
          actor,
        ),
      );
      const again = ok(
        await loyalty.earnPoints(
          { customerId: id, points: 40, reason: "welcome", idempotencyKey: "k1" },
          actor,
        ),
      ) as PointsWrite;
      expect(again.replayed).toBe(true);
      expect(again.entry.seq).toBe(first.entry.seq);
      expect(again.account.balance).toBe(40);
      const reused = await loyalty.adjustPoints(
        { customerId: id, points: 5, reason: "x", idempotencyKey: "k1" },
        admin,
      );
      expect(reused).toEqual([expect.objectContaining({ code: "IDEMPOTENCY_KEY_REUSED" })]);
      const adjusted = ok(
        await loyalty.adjustPoints(
          { customerId: id, points: 10, reason: "goodwill", idempotencyKey: "k2" },
          admin,
        ),
      );
      expect(adjusted.account).toMatchObject({ balance: 50, available: 50, pending: 0 });
      const short = await loyalty.adjustPoints(
        { customerId: id, points: -500, reason: "mistake", idempotencyKey: "k3" },
        admin,
      );
      expect(short).toEqual([expect.objectContaining({ code: "INSUFFICIENT_POINTS" })]);
      const missing = await loyalty.earnPoints(
        { customerId: 999999, points: 1, reason: "x", idempotencyKey: "k" },
        actor,
      );
      expect(missing).toEqual([expect.objectContaining({ code: "NOT_FOUND" })]);
    });

    it("redeems with stock, limits and unique codes; a reversal gives the points back", async () => {
      const id = ids.get("bob")!;
      clock.advance(15 * DAY);
      const reward = ok(
        await loyalty.createReward(
          {
            name: "Free shipping",
            pointsCost: 20,
            stock: 3,
            perCustomerLimit: 2,
            couponPrefix: "SHIP",
          },
          admin,
        ),
      );
      const r1 = ok(
        await loyalty.redeemReward(
          { customerId: id, rewardId: reward.id, idempotencyKey: "r1" },
          actor,
        ),
      );
      expect(r1.redemption.code).toMatch(/^SHIP-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(r1.account.balance).toBe(30);
      const r1again = ok(
        await loyalty.redeemReward(
          { customerId: id, rewardId: reward.id, idempotencyKey: "r1" },
          actor,
        ),
      );
      expect(r1again).toMatchObject({
        replayed: true,
        redemption: { id: r1.redemption.id, code: r1.redemption.code },
      });
      const r2 = ok(
        await loyalty.redeemReward(
          { customerId: id, rewardId: reward.id, idempotencyKey: "r2" },
          actor,
        ),
      );
      expect(r2.redemption.code).not.toBe(r1.redemption.code);
      const r3 = await loyalty.redeemReward(
        { customerId: id, rewardId: reward.id, idempotencyKey: "r3" },
        actor,
      );
      expect(r3).toEqual(
        expect.arrayContaining([expect.objectContaining({ code: "LIMIT_REACHED" })]),
      );
      expect((await loyalty.reward(reward.id))!.remaining).toBe(1);
      const back = ok(
        await loyalty.reverseRedemption(
          { redemptionId: r2.redemption.id, reason: "order cancelled", idempotencyKey: "rv1" },
          admin,
        ),
      );
      expect(back.redemption.status).toBe("reversed");
      expect(back.account.balance).toBe(30);
      expect((await loyalty.account(id))!.redeemed).toBe(20);
      expect((await loyalty.reward(reward.id))!.remaining).toBe(2);
      const twice = await loyalty.reverseRedemption(
        { redemptionId: r2.redemption.id, reason: "again", idempotencyKey: "rv2" },
        admin,
      );
      expect(twice).toEqual([expect.objectContaining({ code: "ALREADY_REVERSED" })]);
    });

    it("a refund of spent points under allow_negative leaves a debt the next points repay", async () => {
      const settings = await loyalty.settings();
      ok(
        await loyalty.updateSettings(
          { ...settings, pendingDays: 0, negativeBalance: "allow_negative" },
          admin,
        ),
      );
      const id = await customer("dan");
      await imports.recordOrders([order("D1", "dan", "100.00")], actor);
      const reward = ok(await loyalty.createReward({ name: "Mug", pointsCost: 80 }, admin));
      ok(
        await loyalty.redeemReward(
          { customerId: id, rewardId: reward.id, idempotencyKey: "d" },
          actor,
        ),
      );
      await imports.recordOrders([order("D1", "dan", "100.00", "refunded")], actor);
      // 20 points were left in the order's lot; the 80 spent are owed.
      expect((await loyalty.account(id))!).toMatchObject({ balance: -80, available: -80 });
      const { page } = await loyalty.ledger(id, 1, null);
      expect(page.rows[0]).toMatchObject({
        type: "reverse",
        points: -100,
        clawback: { policy: "allow_negative", requested: 100, fromSourceLots: 20, owed: 80 },
      });
      // The next points repay the debt first.
      ok(
        await loyalty.earnPoints(
          { customerId: id, points: 50, reason: "apology", idempotencyKey: "d2" },
          actor,
        ),
      );
      expect((await loyalty.account(id))!).toMatchObject({ balance: -30, available: -30 });
      ok(await loyalty.updateSettings(settings, admin));
    });

    it("the ledger reconciles: cached balance = Σ entries = Σ open lots, lots = Σ their changes", async () => {
      const report = (
        await runner.run<undefined, ReconcileReport>(LOYALTY_RECONCILE_JOB, undefined, actor)
      ).result;
      expect(report.accounts).toBeGreaterThanOrEqual(2);
      expect(report.drift).toEqual([]);
      expect(report.lotDrift).toEqual([]);
      expect(report.entryDrift).toEqual([]);
      // A cached balance edited behind the ledger's back is reported, not fixed.
      await db.dataSource.query(
        "UPDATE loyalty_accounts SET balance = balance + 7 WHERE customer_id = ?",
        [ids.get("bob")],
      );
      const drifted = await reconcileLoyalty(db.dataSource);
      expect(drifted.drift).toEqual([
        expect.objectContaining({ customerId: ids.get("bob"), field: "balance", difference: 7 }),
      ]);
      await db.dataSource.query(
        "UPDATE loyalty_accounts SET balance = balance - 7 WHERE customer_id = ?",
        [ids.get("bob")],
      );
    });
  });
}
