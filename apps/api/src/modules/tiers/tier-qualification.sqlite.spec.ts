import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { QualifyingPolicy } from "@valuetier/domain";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { sqlDialect } from "../../db/sql-dialect";
import { systemActor } from "../audit/audit.service";
import { ImportService } from "../import/import.service";
import { LoyaltyService } from "../loyalty/loyalty.service";
import { ScoringRunService } from "../value/scoring-run.service";
import { ValueQueryService } from "../value/value-query.service";
import { readQualifyingFigures, TierQualification } from "./tier-qualification";
import { TierService } from "./tier.service";

// The qualifying figures' grouped SQL and the upgrade at earn time on the embedded SQLite
// database (the MySQL side: __tests__/tier-qualification.spec.ts).

const actor = systemActor("test");
const admin = { type: "user" as const, id: 1, label: "admin@example.test" };

describe("tier qualification on the embedded SQLite database", () => {
  let dir: string;
  let dataSource: DataSource;
  let loyalty: LoyaltyService;
  let t = Date.parse("2025-01-15T00:00:00Z");
  const ids = new Map<string, number>();

  const figures = (policy: QualifyingPolicy, at: Date) =>
    readQualifyingFigures(dataSource, sqlDialect(dataSource), policy, at, "USD");
  const pointsPolicy = (windowMonths: number | null): QualifyingPolicy => ({
    kind: "points_threshold",
    thresholds: [{ tier: "high", minPoints: 500 }],
    otherwise: "low",
    windowMonths,
  });
  const ok = <T>(result: T | unknown[]): T => {
    if (Array.isArray(result)) throw new Error(`refused: ${JSON.stringify(result)}`);
    return result;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "vt-tiers-sqlite-"));
    dataSource = createDataSource({ sqlitePath: path.join(dir, "tiers.sqlite") });
    await dataSource.initialize();
    loyalty = new LoyaltyService(dataSource, {
      defaultMarginRate: "0.3",
      now: () => new Date(t),
      tierQualification: new TierQualification({ currency: "USD" }),
    });
    const imports = new ImportService(dataSource, {
      currency: "USD",
      onOrdersRecorded: (manager, orders) => loyalty.earnForOrders(manager, orders),
    });
    await imports.upsertCustomers(
      Array.from({ length: 12 }, (_, i) => ({
        external_id: `S${i + 1}`,
        created_at: "2024-01-01",
      })),
      actor,
    );
    // Customer S(i + 1) places i + 2 orders of $10 … in 2024; they earn (1 point a dollar) on
    // 15 January 2025, the loyalty clock.
    const orders = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: i + 2 }, (_, j) => ({
        external_id: `S${i + 1}-${j}`,
        customer_external_id: `S${i + 1}`,
        placed_at: `2024-${String(1 + ((i + j) % 12)).padStart(2, "0")}-10`,
        amount: `${10 + i + j}.00`,
        margin: "",
        currency: "USD",
        status: "completed",
      })),
    ).flat();
    expect((await imports.recordOrders(orders, actor)).counts.rejected).toBe(0);
    const rows: { id: number; external_id: string }[] = await dataSource.query(
      "SELECT id, external_id FROM customers",
    );
    for (const row of rows) ids.set(row.external_id, Number(row.id));
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("adds up the points earned in the window, and spend, in one grouped query each", async () => {
    t = Date.parse("2026-03-01T00:00:00Z");
    const s1 = ids.get("S1")!;
    const s2 = ids.get("S2")!;
    ok(
      await loyalty.earnPoints(
        { customerId: s1, points: 300, reason: "r", idempotencyKey: "a" },
        actor,
      ),
    );
    ok(
      await loyalty.adjustPoints(
        { customerId: s2, points: 200, reason: "r", idempotencyKey: "b" },
        admin,
      ),
    );
    ok(
      await loyalty.adjustPoints(
        { customerId: s2, points: -50, reason: "r", idempotencyKey: "c" },
        admin,
      ),
    );
    // A refund today of an order that earned in January 2025: outside a 12-month window's
    // earning, so it takes nothing from it; over the whole history it does.
    const [refunded] = (await dataSource.query(
      "SELECT id, amount_minor FROM orders WHERE external_id = 'S2-0'",
    )) as { id: number; amount_minor: number }[];
    await dataSource.transaction(async (manager) => {
      await manager.query("UPDATE orders SET status = 'refunded' WHERE id = ?", [refunded!.id]);
      await loyalty.earnForOrders(manager, [
        {
          orderId: Number(refunded!.id),
          customerId: s2,
          placedAt: new Date("2024-02-10T00:00:00Z"),
          amountMinor: Number(refunded!.amount_minor),
          marginMinor: null,
          currency: "USD",
          status: "refunded",
        },
      ]);
    });
    const now = new Date(t);
    const windowed = await figures(pointsPolicy(12), now);
    expect(windowed).toEqual(
      new Map([
        [s1, 300],
        [s2, 200],
      ]),
    );
    // The whole history: every order's points (dollars, floored), the credits and positive
    // adjustments, less the refunded order's points.
    const lifetime = await figures(pointsPolicy(null), now);
    const dollars = (id: string) =>
      Array.from(
        { length: Number(id.slice(1)) + 1 },
        (_, j) => 10 + Number(id.slice(1)) - 1 + j,
      ).reduce((a, b) => a + b, 0);
    expect(lifetime.get(s1)).toBe(dollars("S1") + 300);
    expect(lifetime.get(s2)).toBe(dollars("S2") + 200 - Number(refunded!.amount_minor) / 100);
    expect(lifetime.get(ids.get("S12")!)).toBe(dollars("S12"));
    // Spend: completed orders in the window (S2's refunded order no longer counts).
    const spend = await figures(
      { kind: "spend_threshold", thresholds: [], otherwise: "low", windowMonths: 36 },
      now,
    );
    expect(spend.get(s2)).toBe((dollars("S2") - Number(refunded!.amount_minor) / 100) * 100);
    expect(
      (
        await figures(
          { kind: "spend_threshold", thresholds: [], otherwise: "low", windowMonths: 3 },
          now,
        )
      ).size,
    ).toBe(0);
  });

  it("tiers by points in the scoring run and upgrades at earn time", async () => {
    const tiers = new TierService(dataSource, new ValueQueryService(dataSource));
    ok(await tiers.updateSettings({ policy: pointsPolicy(12), graceDays: 30 }, admin));
    const scoring = new ScoringRunService(dataSource, {
      currency: "USD",
      defaultMarginRate: "0.3",
      clock: () => new Date(t),
    });
    await scoring.runNow(actor);
    const tierOf = async (id: string) =>
      (
        (await dataSource.query(
          "SELECT tier_key FROM customer_values WHERE customer_id = ? AND run_id = (SELECT MAX(id) FROM scoring_runs WHERE status = 'succeeded')",
          [ids.get(id)],
        )) as { tier_key: string }[]
      )[0]!.tier_key;
    // Nobody has 500 points earned in the last 12 months.
    expect(await tierOf("S1")).toBe("low");
    t += 60_000;
    ok(
      await loyalty.earnPoints(
        { customerId: ids.get("S1")!, points: 199, reason: "r", idempotencyKey: "d" },
        actor,
      ),
    );
    expect(await tierOf("S1")).toBe("low");
    ok(
      await loyalty.earnPoints(
        { customerId: ids.get("S1")!, points: 1, reason: "r", idempotencyKey: "e" },
        actor,
      ),
    );
    expect(await tierOf("S1")).toBe("high");
    expect(await tierOf("S2")).toBe("low");
    // The next run (which checks for upgrades to carry over, in SQLite's SQL) agrees.
    t += 60_000;
    await scoring.runNow(actor);
    expect(await tierOf("S1")).toBe("high");
    expect(await tierOf("S3")).toBe("low");
  });
});
