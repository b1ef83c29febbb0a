import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CUSTOMERS_CSV_HEADER,
  customerCsvLine,
  defaultLoyaltySettings,
  generateSyntheticData,
  ORDERS_CSV_HEADER,
  orderCsvLine,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import type { AppConfig } from "../config";
import { systemActor, type Actor } from "../modules/audit/audit.service";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { ImportService } from "../modules/import/import.service";
import { JobRunner } from "../modules/jobs/job-runner";
import { LoyaltyService } from "../modules/loyalty/loyalty.service";
import {
  registerScoringJob,
  SCORING_JOB,
  type ScoringJobParams,
  type ScoringJobResult,
} from "../modules/value/scoring-jobs";

/** The login `npm run demo` creates when ADMIN_EMAIL / ADMIN_PASSWORD are not set. */
export const DEMO_ADMIN = { email: "admin@valuetier.local", password: "valuetier-demo" } as const;

export interface SeedDemoOptions {
  /** Default 5,000. */
  customers?: number;
  /** Default 2026: the same seed gives the same customers. */
  seed?: number;
  /** End of the demo period; default today, so the data look current. */
  now?: Date;
  /**
   * Run the first scoring run between loading the orders and back-filling their points (a
   * scoring job in the foreground, on the same runner and lock as the API's and the CLI's), so
   * that every point is earned in the tier that run gave its customer, as in a programme that has
   * run with tiers (`npm run demo`). Default false: no scoring run, and points without a tier
   * (tests that start before the first run).
   */
  firstScoringRun?: boolean;
}

const DAY_MS = 86_400_000;
/** How long the demo's loyalty programme has run: a year and a bit, so some points expired. */
const PROGRAMME_DAYS = 400;

async function writeLine(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) await once(stream, "drain");
}

async function closeStream(stream: WriteStream): Promise<void> {
  stream.end();
  await once(stream, "finish");
}

/**
 * Fills an empty database with demo customers and orders: two years of purchases drawn from the
 * synthetic purchase process (`generateSyntheticData`), written as customers.csv and orders.csv
 * and loaded through the CSV import, exactly as `valuetier generate` + `valuetier import` would;
 * optionally the first scoring run (`firstScoringRun`); then the loyalty points of the orders
 * since the programme's launch, back-filled by importing orders.csv again with `earnPoints`.
 * Does nothing when the database already has customers.
 *
 * @returns how many customers were created (0 when the database was not empty).
 */
export async function seedDemo(
  dataSource: DataSource,
  config: Pick<AppConfig, "defaultCurrency" | "defaultMarginRate">,
  log: (line: string) => void,
  options: SeedDemoOptions = {},
): Promise<number> {
  if ((await dataSource.getRepository(CustomerEntity).count()) > 0) return 0;
  const customers = options.customers ?? 5000;
  const today = new Date(Math.floor((options.now ?? new Date()).getTime() / DAY_MS) * DAY_MS);
  const start = new Date(today.getTime() - 730 * DAY_MS);
  const dir = mkdtempSync(path.join(tmpdir(), "valuetier-demo-"));
  try {
    log(`Creating ${customers.toLocaleString("en")} demo customers and their orders…`);
    const customersFile = path.join(dir, "customers.csv");
    const ordersFile = path.join(dir, "orders.csv");
    const customerOut = createWriteStream(customersFile);
    const orderOut = createWriteStream(ordersFile);
    await writeLine(customerOut, CUSTOMERS_CSV_HEADER);
    await writeLine(orderOut, ORDERS_CSV_HEADER);
    for (const history of generateSyntheticData({
      customers,
      seed: options.seed ?? 2026,
      start,
      end: today,
      currency: config.defaultCurrency,
    })) {
      await writeLine(customerOut, customerCsvLine(history.customer));
      for (const order of history.orders) await writeLine(orderOut, orderCsvLine(order));
    }
    await Promise.all([closeStream(customerOut), closeStream(orderOut)]);

    const actor = systemActor("demo");
    const loyalty = new LoyaltyService(dataSource, { defaultMarginRate: config.defaultMarginRate });
    await setUpLoyalty(loyalty, actor);
    // The history back-fills points through the import's earning option: each order earns at
    // its own date, so the programme looks lived in (activated, expired, pending points). The
    // programme started PROGRAMME_DAYS ago: earlier orders earn nothing (and the demo starts
    // faster).
    const launched = today.getTime() - PROGRAMME_DAYS * DAY_MS;
    const imports = new ImportService(dataSource, {
      currency: config.defaultCurrency,
      now: () => today,
      onOrdersImported: (manager, orders) =>
        loyalty.earnForOrders(
          manager,
          orders.filter((o) => o.placedAt.getTime() >= launched),
          { clock: "placed_at" },
        ),
    });
    // First the customers and orders alone; the points once the tiers exist (an earn is
    // recorded with its customer's tier of the current scoring run, and the economics page
    // counts points per tier by it).
    const result = await imports.importCsv({ customersFile, ordersFile, actor });
    rejectErrors(result);
    if (options.firstScoringRun) await firstScoringRun(dataSource, config, log);
    // The same orders again with earnPoints: all unchanged, each earns what it has not yet.
    const earned = await imports.importCsv({ ordersFile, actor, earnPoints: true });
    rejectErrors(earned);
    const redeemed = await settleLoyalty(loyalty, dataSource, actor);
    log(
      `Demo data ready: ${result.customers.imported.toLocaleString("en")} customers, ` +
        `${result.orders.imported.toLocaleString("en")} orders, ` +
        `${(earned.loyalty?.pointsEarned ?? 0).toLocaleString("en")} loyalty points earned, ` +
        `${redeemed} rewards redeemed.`,
    );
    return result.customers.imported;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rejectErrors(result: { errorCount: number; errors: { reason: string }[] }): void {
  if (result.errorCount > 0) {
    // The generator only writes valid rows: a rejection here is a bug, not bad input.
    throw new Error(`demo data was rejected: ${result.errors[0]?.reason ?? "unknown reason"}`);
  }
}

/**
 * The first scoring run, so that the demo shows customer value and tiers from the start: a
 * scoring job in the foreground, on the same runner and lock as the API's and the CLI's.
 */
async function firstScoringRun(
  dataSource: DataSource,
  config: Pick<AppConfig, "defaultCurrency" | "defaultMarginRate">,
  log: (line: string) => void,
): Promise<void> {
  const runner = registerScoringJob(new JobRunner(dataSource), dataSource, {
    currency: config.defaultCurrency,
    defaultMarginRate: config.defaultMarginRate,
  });
  const actor = systemActor("demo");
  const { result } = await runner.run<ScoringJobParams, ScoringJobResult>(
    SCORING_JOB,
    { actor },
    actor,
  );
  log(
    `Scored ${result.customersScored.toLocaleString("en")} demo customers (scoring run ${result.runId}).`,
  );
}

/** Rewards of the demo catalogue: points cost, then the rest of its terms. */
const DEMO_REWARDS = [
  { name: "5 off your next order", pointsCost: 500, couponPrefix: "FIVE" },
  { name: "Free shipping", pointsCost: 300, couponPrefix: "SHIP", perCustomerLimit: 3 },
  { name: "20 off for high-value customers", pointsCost: 1500, tierKeys: ["high"], stock: 200 },
  { name: "Tote bag", pointsCost: 800, stock: 50, couponPrefix: "TOTE" },
] as const;

function ok<T>(result: T | { message: string }[], what: string): T {
  if (Array.isArray(result)) {
    throw new Error(`demo loyalty ${what} refused: ${result.map((p) => p.message).join("; ")}`);
  }
  return result;
}

/** The demo programme: default earning with tier multipliers, and a small reward catalogue. */
async function setUpLoyalty(loyalty: LoyaltyService, actor: Actor): Promise<void> {
  ok(
    await loyalty.updateSettings(
      { ...defaultLoyaltySettings(), tierMultipliers: { high: "2", mid_high: "1.5" } },
      actor,
    ),
    "settings",
  );
  for (const reward of DEMO_REWARDS) {
    ok(
      await loyalty.createReward(
        { ...reward, tierKeys: "tierKeys" in reward ? [...reward.tierKeys] : null },
        actor,
      ),
      "reward",
    );
  }
}

/**
 * After the back-fill: pending points whose return window has passed become available and
 * points past their expiry expire (the daily jobs' work, done once now), then the customers
 * with the most points redeem a reward each, so that the demo shows redemptions too.
 *
 * @returns how many rewards were redeemed.
 */
async function settleLoyalty(
  loyalty: LoyaltyService,
  dataSource: DataSource,
  actor: Actor,
): Promise<number> {
  await loyalty.activateDue();
  await loyalty.expireDue();
  const richest: { customer_id: number | string }[] = await dataSource.query(
    "SELECT customer_id FROM loyalty_accounts WHERE available >= ? ORDER BY available DESC, customer_id LIMIT 60",
    [1000],
  );
  const rewards = await loyalty.rewards({ activeOnly: true });
  const open = rewards.filter((r) => !r.tierKeys || r.tierKeys === "[]");
  let redeemed = 0;
  for (const [i, row] of richest.entries()) {
    const reward = open[i % open.length]!;
    const result = await loyalty.redeemReward(
      { customerId: Number(row.customer_id), rewardId: reward.id, idempotencyKey: `demo-${i}` },
      actor,
    );
    if (!Array.isArray(result)) redeemed++;
  }
  return redeemed;
}
