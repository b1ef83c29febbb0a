import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { RunningServer } from "@valuetier/api";
import type { TestDatabase } from "@valuetier/api/testing";
import { hasChromium, pageGql, screenshotPages, startE2eWorld, type E2eWorld } from "./harness";

// Campaigns in a real browser over the scored demo data: build a campaign for a tier in the
// builder (live count, expected control size, smallest detectable effect), launch it, record
// orders for both groups through the API, and read the results page (groups, verdict, cost,
// charts). Screenshots of the list, the builder and the campaign page at 390 and 1440 px in
// both languages.

const ADMIN = { email: "e2e-campaigns@example.test", password: "e2e-password-3" };
const DAY = 86_400_000;
const sqlTime = (ms: number) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

describe.skipIf(!hasChromium)("campaigns in a real browser", () => {
  let world: E2eWorld;
  let db: TestDatabase;
  let server: RunningServer;
  let page: Page;
  let currency = "USD";

  /** A GraphQL call with the browser's session token. */
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    pageGql<T>(page, query, variables);

  beforeAll(async () => {
    world = await startE2eWorld({
      database: "vt_e2e_cmp",
      admin: ADMIN,
      jwtSecret: "e2c".repeat(16),
      customers: 300,
      scoringRuns: 1,
      viewport: { width: 1400, height: 900 },
    });
    ({ db, server, page } = world);
    currency = world.config.defaultCurrency;
  });

  afterAll(async () => {
    await world?.close();
  });

  let campaignId = "";
  let draftId = "";
  let tier = { key: "", name: "", customersCount: 0 };

  it("builds a campaign for a tier with its live count, control size and detectable effect", async () => {
    const { tiers } = await gql<{ tiers: (typeof tier)[] }>(
      "{ tiers { key name customersCount } }",
    );
    tier = [...tiers].sort((a, b) => b.customersCount - a.customersCount)[0]!;
    expect(tier.customersCount).toBeGreaterThanOrEqual(40);

    await page.getByTestId("nav-campaigns").click();
    await page.getByTestId("campaigns-table").waitFor();
    await page.getByTestId("campaign-new").click();
    await page.getByTestId("campaign-name").locator("input").fill("Double points, best tier");
    await page.getByTestId("campaign-tiers").click();
    const escaped = tier.name.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
    const exact = new RegExp(`^\\s*${escaped}\\s*$`);
    await page.locator(".n-base-select-option").filter({ hasText: exact }).click();
    await page.keyboard.press("Escape");

    const plan = await gql<{
      campaignPlan: {
        count: number;
        expectedControl: number;
        expectedTreatment: number;
        revenuePerCustomerMde: { sequential: number } | null;
      };
    }>(
      "query($a: CampaignAudienceInput!) { campaignPlan(audience: $a, controlShare: 0.3) { count expectedControl expectedTreatment revenuePerCustomerMde { sequential } } }",
      { a: { tierKeys: [tier.key] } },
    );
    const control = page.getByTestId("campaign-control").locator("input");
    await control.fill("30");
    await control.blur();
    await expect
      .poll(() => page.getByTestId("campaign-plan-count").innerText())
      .toBe(`${plan.campaignPlan.count.toLocaleString("en")} customers now`);
    expect(plan.campaignPlan.count).toBe(tier.customersCount);
    await expect
      .poll(() => page.getByTestId("campaign-plan-expected").innerText())
      .toBe(
        `Expected at launch: ${plan.campaignPlan.expectedTreatment.toLocaleString("en")} treated, ` +
          `${plan.campaignPlan.expectedControl.toLocaleString("en")} in control`,
      );
    expect(plan.campaignPlan.revenuePerCustomerMde).not.toBeNull();
    await expect
      .poll(() => page.getByTestId("campaign-plan-mde").innerText())
      .toContain("Revenue per customer:");

    const multiplier = page.getByTestId("campaign-multiplier").locator("input");
    await multiplier.fill("2");
    await page.getByTestId("campaign-save").click();
    await page.waitForURL(/\/campaigns\/\d+$/);
    campaignId = page.url().split("/").pop()!;
    await expect.poll(() => page.getByTestId("campaign-status").innerText()).toBe("Draft");
    await expect
      .poll(() => page.getByTestId("campaign-audience").innerText())
      .toBe(`Tiers: ${tier.name}`);
    // A draft offers exactly the draft's moves.
    expect(await page.getByTestId("campaign-action-launch").count()).toBe(1);
    expect(await page.getByTestId("campaign-action-schedule").count()).toBe(1);
    expect(await page.getByTestId("campaign-action-pause").count()).toBe(0);
    expect(await page.getByTestId("campaign-action-end").count()).toBe(0);
  });

  it("launches it: the audience is frozen into treatment and control", async () => {
    await page.getByTestId("campaign-action-launch").click();
    await page.locator(".n-dialog .n-button", { hasText: "Launch now" }).click();
    await expect.poll(() => page.getByTestId("campaign-status").innerText()).toBe("Running");
    expect(await page.getByTestId("campaign-action-pause").count()).toBe(1);
    expect(await page.getByTestId("campaign-action-launch").count()).toBe(0);
    const { campaign } = await gql<{
      campaign: { members: { treatment: number; control: number } };
    }>("query($id: ID!) { campaign(id: $id) { members { treatment control } } }", {
      id: campaignId,
    });
    const total = campaign.members.treatment + campaign.members.control;
    expect(total).toBe(tier.customersCount);
    // 30% control within sampling error (3 standard deviations).
    const sd = Math.sqrt(total * 0.3 * 0.7);
    expect(Math.abs(campaign.members.control - total * 0.3)).toBeLessThanOrEqual(3 * sd);
    await expect
      .poll(() => page.getByTestId("campaign-members").innerText())
      .toBe(`${campaign.members.treatment} treated, ${campaign.members.control} in control`);
  });

  it("records orders for both groups through the API and shows the results page", async () => {
    // A week of results: the launch (and the frozen members' joining) is moved back six days
    // in the database, so that the orders below fall on different days of the window.
    const launchedAt = Date.now() - 6 * DAY;
    await db.dataSource.query("UPDATE campaigns SET launched_at = ? WHERE id = ?", [
      sqlTime(launchedAt),
      campaignId,
    ]);
    await db.dataSource.query("UPDATE campaign_members SET joined_at = ? WHERE campaign_id = ?", [
      sqlTime(launchedAt),
      campaignId,
    ]);

    const customers = await gql<{
      customers: {
        edges: {
          node: {
            externalId: string;
            campaigns: { campaign: { id: string }; group: "TREATMENT" | "CONTROL" }[];
          };
        }[];
      };
    }>(
      "query($k: [String!]) { customers(first: 250, filter: { tierKeys: $k }) { edges { node { externalId campaigns { campaign { id } group } } } } }",
      { k: [tier.key] },
    );
    const members = customers.customers.edges
      .map((e) => ({
        externalId: e.node.externalId,
        group: e.node.campaigns.find((c) => c.campaign.id === campaignId)?.group,
      }))
      .filter((m) => m.group !== undefined);
    expect(members.length).toBe(Math.min(tier.customersCount, 250));
    // Treated customers order more often and more; control less (a known effect).
    const orders = members.flatMap((m, i) => {
      const treated = m.group === "TREATMENT";
      if (i % 10 >= (treated ? 7 : 4)) return [];
      const day = 1 + (i % 5);
      const amount = (treated ? 90 : 60) + ((i * 37) % 40);
      return [
        {
          externalId: `e2e-cmp-${m.externalId}`,
          customerExternalId: m.externalId,
          amount: `${amount}.00`,
          currency,
          placedAt: new Date(launchedAt + day * DAY + 3_600_000).toISOString(),
          status: "COMPLETED",
        },
      ];
    });
    const recorded = await gql<{
      recordOrders: { created: number; userErrors: { message: string }[] };
    }>(
      "mutation($o: [OrderInput!]!) { recordOrders(input: $o) { created userErrors { message } } }",
      { o: orders },
    );
    expect(recorded.recordOrders.userErrors).toEqual([]);
    expect(recorded.recordOrders.created).toBe(orders.length);

    const { campaign } = await gql<{
      campaign: {
        results: {
          treatment: { customers: number; converted: number };
          control: { customers: number; converted: number };
          cost: { pointsAwarded: number };
        };
        timeline: { at: string }[];
      };
    }>(
      "query($id: ID!) { campaign(id: $id) { results { treatment { customers converted } control { customers converted } cost { pointsAwarded } } timeline { at } } }",
      { id: campaignId },
    );
    // Converted: members with a completed order since joining (the demo data's recent orders
    // count too), counted here straight from the tables.
    const converted = (await db.dataSource.query(
      "SELECT m.grp AS grp, COUNT(DISTINCT m.customer_id) AS n FROM campaign_members m " +
        "JOIN orders o ON o.customer_id = m.customer_id AND o.status = 'completed' " +
        "AND o.placed_at >= m.joined_at AND o.placed_at < ? WHERE m.campaign_id = ? GROUP BY m.grp",
      [sqlTime(Date.now()), campaignId],
    )) as { grp: string; n: string | number }[];
    const convertedIn = (grp: string) => Number(converted.find((r) => r.grp === grp)?.n ?? 0);
    const treatedOrders = orders.filter(
      (o) => members.find((m) => m.externalId === o.customerExternalId)?.group === "TREATMENT",
    ).length;
    expect(convertedIn("T")).toBeGreaterThanOrEqual(treatedOrders);
    expect(convertedIn("C")).toBeGreaterThanOrEqual(orders.length - treatedOrders);
    expect(campaign.results.treatment.converted).toBe(convertedIn("T"));
    expect(campaign.results.control.converted).toBe(convertedIn("C"));
    // The multiplier added points to treated orders only: the campaign's cost counts them.
    expect(campaign.results.cost.pointsAwarded).toBeGreaterThan(0);
    expect(campaign.timeline.length).toBe(7);

    await page.reload();
    const groups = page.getByTestId("campaign-groups");
    await groups.waitFor();
    await expect
      .poll(() => groups.innerText())
      .toContain(campaign.results.treatment.customers.toLocaleString("en"));
    expect(await groups.innerText()).toContain(
      campaign.results.control.customers.toLocaleString("en"),
    );
    await expect
      .poll(() => page.getByTestId("campaign-verdict").innerText())
      .toMatch(
        /^(Not yet conclusive|Raised revenue per customer by|Lowered revenue per customer by)/,
      );
    expect(await page.getByTestId("campaign-verdict").innerText()).toMatch(/95% interval/);
    await page.getByTestId("campaign-chart-groups").locator("canvas").first().waitFor();
    await page.getByTestId("campaign-chart-difference").locator("canvas").first().waitFor();
    expect(await page.getByTestId("campaign-cost").innerText()).toMatch(
      new RegExp(`${campaign.results.cost.pointsAwarded.toLocaleString("en")} points`),
    );

    // The list shows it running with its group sizes.
    await page.getByTestId("nav-campaigns").click();
    const row = page.locator("tr", { has: page.getByText("Double points, best tier") });
    await expect
      .poll(() => row.getByTestId("campaign-row-sizes").innerText())
      .toBe(
        `${campaign.results.treatment.customers.toLocaleString("en")} / ${campaign.results.control.customers.toLocaleString("en")}`,
      );
    // Filters are in the address.
    await page.goto(`${server.url}/campaigns?status=DRAFT`);
    await page.getByTestId("campaigns-table").waitFor();
    await expect.poll(() => page.getByTestId("campaign-row-name").count()).toBe(0);
  });

  it("shows the campaign pages at 390 and 1440 px in English and Chinese", async () => {
    const draft = await gql<{
      createCampaign: { campaign: { id: string } | null; userErrors: unknown[] };
    }>(
      "mutation($i: CreateCampaignInput!) { createCampaign(input: $i) { campaign { id } userErrors { field code message } } }",
      {
        i: {
          name: "Spring bonus for the loyal",
          audience: { tierKeys: [tier.key] },
          offer: { bonusPoints: 200, coupon: { code: "SPRING10", amount: "10.00" } },
          budget: { kind: "POINTS", amount: "50000", onExhausted: "STOP_OFFERS" },
          startsAt: new Date(Date.now() + 7 * DAY).toISOString(),
          endsAt: new Date(Date.now() + 37 * DAY).toISOString(),
          timeZone: "Asia/Taipei",
        },
      },
    );
    expect(draft.createCampaign.userErrors).toEqual([]);
    draftId = draft.createCampaign.campaign!.id;
    await screenshotPages(
      world,
      [
        { name: "campaigns-list", path: "/campaigns", ready: "campaign-row-name" },
        {
          name: "campaign-builder",
          path: `/campaigns/${draftId}/edit`,
          ready: "campaign-plan-mde",
        },
        {
          name: "campaign-results",
          path: `/campaigns/${campaignId}`,
          ready: "campaign-verdict",
          settle: async (view) => {
            await view.getByTestId("campaign-chart-difference").locator("canvas").waitFor();
            await view.waitForTimeout(1200);
          },
        },
      ],
      {
        widths: [390, 1440],
        languages: ["en", "zh-TW"],
        file: (name, width, lang) => `${name}-${lang}-${width}.png`,
      },
    );
  }, 300_000);
});
