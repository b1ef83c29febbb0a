import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataSource } from "../../db/data-source";
import { DomainError } from "../../errors/domain-error";
import { systemActor } from "../audit/audit.service";
import { ImportService } from "../import/import.service";
import { JobRunner } from "../jobs/job-runner";
import {
  AS_OF_SKEW_MS,
  checkHousekeepingAsOf,
  LOYALTY_ACTIVATE_JOB,
  LOYALTY_EXPIRE_JOB,
  registerLoyaltyJobs,
} from "./loyalty-jobs";
import { LoyaltyService } from "./loyalty.service";

const DAY = 86_400_000;
const CLOCK = new Date("2026-06-01T12:00:00.000Z");

describe("checkHousekeepingAsOf", () => {
  it("takes the clock, an earlier instant and a few minutes of skew", () => {
    expect(checkHousekeepingAsOf(CLOCK.toISOString(), CLOCK, "now")).toEqual(CLOCK);
    expect(checkHousekeepingAsOf("2026-01-01T00:00:00Z", CLOCK, "now")).toEqual(
      new Date("2026-01-01T00:00:00Z"),
    );
    const skewed = new Date(CLOCK.getTime() + AS_OF_SKEW_MS);
    expect(checkHousekeepingAsOf(skewed.toISOString(), CLOCK, "now")).toEqual(skewed);
  });

  it("refuses a later instant, and text that is no instant, naming the field", () => {
    const later = new Date(CLOCK.getTime() + AS_OF_SKEW_MS + 1000).toISOString();
    expect(checkHousekeepingAsOf(later, CLOCK, "--as-of")).toMatchObject({
      field: "--as-of",
      code: "AS_OF_IN_FUTURE",
      message: expect.stringMatching(/^--as-of: 2026-06-01T12:05:01.000Z is later than/),
    });
    expect(checkHousekeepingAsOf("tomorrow", CLOCK, "now")).toMatchObject({
      field: "now",
      code: "INVALID_INPUT",
    });
  });
});

// The jobs on the embedded SQLite database, with the server clock at CLOCK.
describe("loyalty activation and expiry as of a later instant", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-loyalty-jobs-"));
  let dataSource: DataSource;
  let runner: JobRunner;
  const actor = systemActor("test");

  const ledger = async () => ({
    entries: (await dataSource.query(
      "SELECT seq, type, at, points FROM loyalty_entries ORDER BY account_id, seq",
    )) as unknown[],
    accounts: (await dataSource.query("SELECT * FROM loyalty_accounts")) as unknown[],
  });

  beforeAll(async () => {
    dataSource = createDataSource({ sqlitePath: path.join(dir, "jobs.sqlite") });
    await dataSource.initialize();
    // 75 points earned 40 days before the clock: pending for the default 30-day return window.
    const earnedAt = new Date(CLOCK.getTime() - 40 * DAY);
    const loyalty = new LoyaltyService(dataSource, {
      defaultMarginRate: "0.3",
      now: () => earnedAt,
    });
    const imports = new ImportService(dataSource, {
      currency: "USD",
      now: () => earnedAt,
      onOrdersRecorded: (manager, orders) => loyalty.earnForOrders(manager, orders),
    });
    await imports.upsertCustomers(
      [{ external_id: "c1", email: "", name: "C", created_at: "2025-01-01" }],
      actor,
    );
    await imports.recordOrders(
      [
        {
          external_id: "o1",
          customer_external_id: "c1",
          placed_at: earnedAt.toISOString(),
          amount: "75.40",
          margin: "",
          currency: "USD",
          status: "completed",
        },
      ],
      actor,
    );
    runner = registerLoyaltyJobs(new JobRunner(dataSource), dataSource, {
      defaultMarginRate: "0.3",
      now: () => CLOCK,
    });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses an as-of past the clock with AS_OF_IN_FUTURE on `now`, changing nothing", async () => {
    const before = await ledger();
    expect(before.entries).toHaveLength(1);
    const tomorrow = new Date(CLOCK.getTime() + DAY).toISOString();
    for (const kind of [LOYALTY_ACTIVATE_JOB, LOYALTY_EXPIRE_JOB]) {
      const refused = await runner.run(kind, { now: tomorrow }, actor).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DomainError);
      expect(refused).toMatchObject({ code: "AS_OF_IN_FUTURE", field: "now" });
      expect((refused as Error).message).toContain(tomorrow);
    }
    // A year ahead would have expired the points; nothing moved, not even the ledger clock.
    const yearAhead = new Date(CLOCK.getTime() + 400 * DAY).toISOString();
    await expect(runner.run(LOYALTY_EXPIRE_JOB, { now: yearAhead }, actor)).rejects.toMatchObject({
      code: "AS_OF_IN_FUTURE",
    });
    expect(await ledger()).toEqual(before);
  });

  it("runs as of the clock plus a few minutes of skew", async () => {
    const skewed = new Date(CLOCK.getTime() + 4 * 60_000).toISOString();
    const { result } = await runner.run(LOYALTY_ACTIVATE_JOB, { now: skewed }, actor);
    expect(result).toMatchObject({ accounts: 1, entries: 1, points: 75, asOf: skewed });
  });
});
