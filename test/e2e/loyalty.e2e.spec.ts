import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { JobRunner, registerLoyaltyJobs, systemActor, type RunningServer } from "@valuetier/api";
import { hasChromium, pageGql, SCREENSHOTS, startE2eWorld, type E2eWorld } from "./harness";

// The loyalty programme in a real browser on MySQL: configure earning in Loyalty → Settings,
// record an order through the API with an API key, see its points pending and then (after the
// activation job, run as of the end of the one-day return window) available on the customer's
// page, create a reward, redeem it on the customer's behalf and see the coupon code, read the
// economics page, then reverse the redemption and see the points back. Screenshots of every
// loyalty page at 390 and 1440 px in both languages.

const ADMIN = { email: "e2e-loyalty@example.test", password: "e2e-password-7" };

describe.skipIf(!hasChromium)("loyalty in a real browser", () => {
  let world: E2eWorld;
  let server: RunningServer;
  let page: Page;

  /** A GraphQL call from the page, with the session token or the given API key. */
  const gql = <T>(query: string, variables: Record<string, unknown> = {}, key?: string) =>
    pageGql<T>(page, query, variables, key);

  beforeAll(async () => {
    // As `npm run demo` seeds it: the first scoring run before the points, so that the demo's
    // points carry tiers (the multipliers and the economics per tier).
    world = await startE2eWorld({
      database: "vt_e2e_loyalty",
      admin: ADMIN,
      jwtSecret: "e2l".repeat(16),
      customers: 80,
      firstScoringRun: true,
    });
    ({ server, page } = world);
  });

  afterAll(async () => {
    await world?.close();
  });

  it("configures earning, earns on an API order, activates, redeems, shows the economics and reverses", async () => {
    // 1. Loyalty → Settings: 2 points per unit, 1.5× for the best tier, a one-day return window.
    const { tiers } = await gql<{ tiers: { key: string; rank: number }[] }>(
      "{ tiers { key rank } }",
    );
    const best = [...tiers].sort((a, b) => a.rank - b.rank)[0]!.key;
    const before = await gql<{ loyaltySettings: { tierMultipliers: { tier: string }[] } }>(
      "{ loyaltySettings { tierMultipliers { tier multiplier } } }",
    );
    await page.getByTestId("nav-loyalty-settings").click();
    await page.getByTestId("loyalty-settings-form").waitFor();
    await page.getByTestId("loyalty-points-per-unit").locator("input").fill("2");
    await page.getByTestId(`loyalty-multiplier-${best}`).locator("input").fill("1.5");
    await page.getByTestId("loyalty-pending-days").locator("input").fill("1");
    // A value the API would refuse is named, translated, before anything is sent.
    await page.getByTestId("loyalty-cost-per-point").locator("input").fill("-1");
    await page.getByText("Write a decimal such as 1 or 1.5").first().waitFor();
    expect(await page.getByTestId("loyalty-settings-save").isDisabled()).toBe(true);
    await page.getByTestId("loyalty-cost-per-point").locator("input").fill("0.5");
    await page.getByTestId("loyalty-settings-save").click();
    await page.getByText("Loyalty settings saved").waitFor();
    const { loyaltySettings } = await gql<{
      loyaltySettings: {
        pointsPerUnit: string;
        pendingDays: number;
        costPerPointMinor: string;
        tierMultipliers: { tier: string; multiplier: string }[];
      };
    }>(
      "{ loyaltySettings { pointsPerUnit pendingDays costPerPointMinor tierMultipliers { tier multiplier } } }",
    );
    expect({ ...loyaltySettings, tierMultipliers: undefined }).toEqual({
      tierMultipliers: undefined,
      pointsPerUnit: "2",
      pendingDays: 1,
      costPerPointMinor: "0.5",
    });
    // The best tier now earns 1.5×; the other tiers keep what they had.
    const multipliers = [
      { tier: best, multiplier: "1.5" },
      ...before.loyaltySettings.tierMultipliers.filter((m) => m.tier !== best),
    ];
    expect(new Set(loyaltySettings.tierMultipliers.map((m) => JSON.stringify(m)))).toEqual(
      new Set(multipliers.map((m) => JSON.stringify(m))),
    );

    // 2. A storefront key records a new customer's order: 120.00 × 2 points, no tier yet → 240.
    const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
      `mutation { createApiKey(input: { name: "e2e shop", scopes: ["customers:write", "orders:write", "customers:read"] }) { secret userErrors { code } } }`,
    );
    const key = createApiKey.secret;
    await gql(
      `mutation($c: [CustomerInput!]!) { upsertCustomers(input: $c) { results { status } } }`,
      {
        c: [
          {
            externalId: "e2e-loyal-1",
            email: "loyal@example.test",
            name: "Lee Loyal",
            createdAt: new Date(Date.now() - 86_400_000).toISOString(),
          },
        ],
      },
      key,
    );
    const recorded = await gql<{
      recordOrders: { created: number; results: { status: string }[] };
    }>(
      `mutation($o: [OrderInput!]!) { recordOrders(input: $o) { created results { status } } }`,
      {
        o: [
          {
            externalId: "e2e-order-1",
            customerExternalId: "e2e-loyal-1",
            amount: "120.00",
            currency: "USD",
            placedAt: new Date().toISOString(),
            status: "COMPLETED",
          },
        ],
      },
      key,
    );
    expect(recorded.recordOrders.created).toBe(1);
    const { customer } = await gql<{ customer: { id: string } }>(
      `{ customer(externalId: "e2e-loyal-1") { id } }`,
    );

    // 3. The customer's page: 240 points pending, none available.
    await page.goto(`${server.url}/customers/${customer.id}`);
    const card = page.getByTestId("customer-loyalty");
    await card.getByTestId("loyalty-pending").filter({ hasText: "240" }).waitFor();
    expect((await card.getByTestId("loyalty-available").textContent())?.trim()).toBe("0");
    await card.getByTestId("loyalty-ledger").getByText("order:").first().waitFor();

    // 4. The one-day return window passes (its end moved back to now: the jobs refuse to run as
    // of a later instant), then the activation job runs.
    await world.db.dataSource.query(
      "UPDATE loyalty_lots SET pending_until = ? WHERE account_id = ? AND available = 0",
      [new Date(Date.now() - 1000).toISOString().replace("T", " ").replace("Z", ""), customer.id],
    );
    const runner = new JobRunner(world.db.dataSource, { log: { error: () => undefined } });
    registerLoyaltyJobs(runner, world.db.dataSource, {
      defaultMarginRate: world.config.defaultMarginRate,
    });
    const { result } = await runner.run("loyalty-activate", undefined, systemActor("e2e"));
    // The demo customers' pending points come due too; ours are among them.
    expect((result as { points: number }).points).toBeGreaterThanOrEqual(240);
    await page.reload();
    await card.getByTestId("loyalty-available").filter({ hasText: "240" }).waitFor();
    expect((await card.getByTestId("loyalty-pending").textContent())?.trim()).toBe("0");
    await card.getByTestId("loyalty-ledger").getByText("Activate").first().waitFor();

    // 5. Loyalty → Rewards: a mug for 150 points, 10 in stock.
    await page.getByTestId("nav-loyalty-rewards").click();
    await page.getByTestId("reward-create").click();
    await page.getByTestId("reward-name").locator("input").fill("E2E mug");
    await page.getByTestId("reward-points").locator("input").fill("150");
    await page.getByTestId("reward-stock").locator("input").fill("10");
    await page.getByTestId("reward-save").click();
    await page.getByTestId("rewards-table").getByText("E2E mug").waitFor();

    // 6. Redeem it for the customer: a coupon code, 90 points left, one unit fewer in stock.
    const beforeRedeeming = new Date().toISOString();
    await page.goto(`${server.url}/customers/${customer.id}`);
    await card.getByTestId("loyalty-available").filter({ hasText: "240" }).waitFor();
    await card.getByTestId("loyalty-redeem").click();
    await page.getByTestId("loyalty-redeem-reward").click();
    await page.locator(".n-base-select-option").filter({ hasText: "E2E mug" }).click();
    await page.getByTestId("loyalty-redeem-submit").click();
    const code = (await page.getByTestId("loyalty-redeemed-code").textContent())?.trim() ?? "";
    expect(code).toMatch(/^[A-Z0-9-]{6,}$/);
    await page.getByTestId("loyalty-redeem-close").click();
    await card.getByTestId("loyalty-available").filter({ hasText: "90" }).waitFor();
    await card.getByTestId("loyalty-redemption").filter({ hasText: code }).waitFor();
    const { rewards } = await gql<{ rewards: { name: string; remaining: number }[] }>(
      "{ rewards { name remaining } }",
    );
    expect(rewards.find((r) => r.name === "E2E mug")?.remaining).toBe(9);

    // 7. Loyalty → Economics: the liability is the spendable points × 0.5 cents.
    const { loyaltyEconomics } = await gql<{
      loyaltyEconomics: { liability: string; availablePoints: number };
    }>("{ loyaltyEconomics { liability availablePoints } }");
    // The liability in money: the spendable points × 0.5 cents, to the cent as the page shows it.
    await page.getByTestId("nav-loyalty-economics").click();
    await page.getByTestId("economics-kpis").waitFor();
    const economicsPath = "/loyalty/economics";
    await page.goto(`${server.url}${economicsPath}`);
    // The rates count our 150 redeemed points (and the demo customers' points): a period that
    // ends before the redemption has 150 fewer.
    const rates = async (until?: string) =>
      (
        await gql<{
          loyaltyEconomics: { redemptionRate: { numerator: number; denominator: number } };
        }>(
          "query($u: DateTime) { loyaltyEconomics(until: $u) { redemptionRate { numerator denominator } } }",
          { u: until ?? null },
        )
      ).loyaltyEconomics.redemptionRate;
    const inPeriod = await rates();
    expect(inPeriod.numerator - (await rates(beforeRedeeming)).numerator).toBe(150);
    const count = (n: number) => new Intl.NumberFormat("en").format(n);
    await page
      .getByTestId("economics-kpis")
      .getByText(
        `redeemed ÷ earned: ${count(inPeriod.numerator)} of ${count(inPeriod.denominator)}`,
      )
      .waitFor();
    const liability = (await page.getByTestId("economics-liability").textContent()) ?? "";
    const shown = new Intl.NumberFormat("en", { style: "currency", currency: "USD" }).format(
      Number(loyaltyEconomics.liability),
    );
    expect(liability).toContain(shown);
    expect(loyaltyEconomics.availablePoints).toBeGreaterThanOrEqual(90);
    expect(Number(loyaltyEconomics.liability)).toBeCloseTo(
      loyaltyEconomics.availablePoints * 0.005,
      9,
    );
    await page.getByTestId("economics-chart").locator("canvas").first().waitFor();
    await page.getByTestId("economics-tiers").waitFor();
    // The demo's points were earned in tiers: none under "(no tier)" but our new customer's.
    const { loyaltyEconomics: perTier } = await gql<{
      loyaltyEconomics: { tiers: { tierKey: string | null; earned: number }[] };
    }>("{ loyaltyEconomics { tiers { tierKey earned } } }");
    expect(perTier.tiers.filter((t) => t.tierKey !== null && t.earned > 0).length).toBeGreaterThan(
      1,
    );
    expect(perTier.tiers.find((t) => t.tierKey === null)?.earned ?? 0).toBeLessThanOrEqual(240);

    // 8. Reverse the redemption on the customer's page: a reason, a confirmation, the 150
    // points back (240 available), the coupon void, the unit back in stock.
    await page.goto(`${server.url}/customers/${customer.id}`);
    await card.getByTestId("loyalty-available").filter({ hasText: "90" }).waitFor();
    await card
      .getByTestId("loyalty-redemption")
      .filter({ hasText: code })
      .getByTestId("loyalty-reverse")
      .click();
    await page.getByTestId("loyalty-reverse-submit").click();
    await page.getByText("Give a reason.").first().waitFor();
    await page.getByTestId("loyalty-reverse-reason").locator("input").fill("Mug arrived broken");
    await page.getByText("Kept in the ledger and the audit log.").last().waitFor();
    await page.waitForTimeout(400); // the feedback's transition
    await page.screenshot({ path: path.join(SCREENSHOTS, "loyalty-reverse-en-1440.png") });
    await page.getByTestId("loyalty-reverse-submit").click();
    const confirm = page.locator(".n-dialog");
    await confirm.waitFor();
    await page.waitForTimeout(400); // the dialog's entry animation
    await page.screenshot({ path: path.join(SCREENSHOTS, "loyalty-reverse-confirm-en-1440.png") });
    await confirm.getByRole("button", { name: "Reverse redemption" }).click();
    await page
      .getByTestId("loyalty-reversed")
      .getByText(`150 points given back. Coupon ${code} is void.`)
      .waitFor();
    await page.getByTestId("loyalty-reverse-close").click();
    await card.getByTestId("loyalty-available").filter({ hasText: "240" }).waitFor();
    await card
      .getByTestId("loyalty-redemption")
      .filter({ hasText: code })
      .getByTestId("loyalty-redemption-reversed")
      .waitFor();
    const afterReversal = await gql<{ rewards: { name: string; remaining: number }[] }>(
      "{ rewards { name remaining } }",
    );
    expect(afterReversal.rewards.find((r) => r.name === "E2E mug")?.remaining).toBe(10);

    // 9. Every loyalty page at 390 and 1440 px in both languages, none wider than the window.
    const pages = [
      { name: "loyalty-settings", path: "/loyalty/settings", ready: "loyalty-settings-form" },
      { name: "loyalty-rewards", path: "/loyalty/rewards", ready: "rewards-table" },
      { name: "loyalty-economics", path: economicsPath, ready: "economics-kpis" },
      { name: "loyalty-customer", path: `/customers/${customer.id}`, ready: "loyalty-ledger" },
    ];
    for (const locale of ["en", "zh-TW"]) {
      await page.evaluate((l) => localStorage.setItem("valuetier.locale", l), locale);
      for (const width of [390, 1440]) {
        await page.setViewportSize({ width, height: 900 });
        for (const target of pages) {
          await page.goto(`${server.url}${target.path}`);
          await page.getByTestId(target.ready).first().waitFor();
          if (target.name === "loyalty-economics") {
            await page.getByTestId("economics-chart").locator("canvas").first().waitFor();
            await page.waitForTimeout(1200); // the chart's entry animation
          }
          await page.waitForLoadState("networkidle");
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(
            overflow,
            `${target.name} ${locale} at ${width} px scrolls sideways`,
          ).toBeLessThanOrEqual(0);
          await page.screenshot({
            path: path.join(SCREENSHOTS, `${target.name}-${locale}-${width}.png`),
            fullPage: true,
          });
        }
      }
    }
    await page.evaluate(() => localStorage.setItem("valuetier.locale", "en"));
  });
});
