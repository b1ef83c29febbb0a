import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import {
  hasChromium,
  pageGql,
  SCREENSHOTS,
  screenshotPages,
  startE2eWorld,
  type E2eWorld,
} from "./harness";

// Segments and tiers in a real browser over the scored demo data: build a segment in the
// editor, see its count, save it, filter the customers by it, export it; change the tier policy
// and read the backtest. Screenshots of the new pages at 390 and 1440 px in both languages.

const ADMIN = { email: "e2e-segments@example.test", password: "e2e-password-2" };
const QUERY = "churn_risk = 'high' OR lifecycle_stage = 'declining'";

describe.skipIf(!hasChromium)("segments and tiers in a real browser", () => {
  let world: E2eWorld;
  let page: Page;

  /** A GraphQL call with the browser's session token, for the figures the page must show. */
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) =>
    pageGql<T>(page, query, variables);

  beforeAll(async () => {
    // Two scoring runs, so that the dashboard has a tier movement to show.
    world = await startE2eWorld({
      database: "vt_e2e_seg",
      admin: ADMIN,
      jwtSecret: "e2s".repeat(16),
      customers: 300,
      scoringRuns: 2,
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    });
    ({ page } = world);
  });

  afterAll(async () => {
    await world?.close();
  });

  let segmentId = "";
  let expected = 0;

  it("builds a segment in the editor with completion, shows its errors and its live count, and saves it", async () => {
    await page.getByTestId("nav-segments").click();
    const editor = page.getByTestId("segment-query");
    await editor.waitFor();

    // Completion: "churn" + Tab is the field; inside quotes the field's fixed values.
    await editor.click();
    await editor.pressSequentially("churn");
    await expect
      .poll(() => page.getByTestId("segment-suggestion").first().innerText())
      .toBe("churn_risk");
    await editor.press("Tab");
    expect(await editor.inputValue()).toBe("churn_risk ");
    await editor.pressSequentially("= 'h");
    await expect
      .poll(() => page.getByTestId("segment-suggestion").first().innerText())
      .toBe("'high'");
    await page.getByTestId("segment-suggestion").first().click();
    expect(await editor.inputValue()).toBe("churn_risk = 'high' ");

    // An unfinished query is underlined where it stops making sense.
    await editor.pressSequentially("OR");
    const error = page.getByTestId("segment-error");
    await error.waitFor();
    await expect.poll(() => error.innerText()).toMatch(/line 1, column \d+/);

    await editor.fill(QUERY);
    await expect.poll(() => error.isVisible()).toBe(false);
    const preview = await gql<{ segmentPreview: { count: number } }>(
      "query($q: String!) { segmentPreview(query: $q) { count } }",
      { q: QUERY },
    );
    expected = preview.segmentPreview.count;
    expect(expected).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId("segment-count").innerText())
      .toBe(`${expected.toLocaleString("en")} customer${expected === 1 ? "" : "s"}`);
    await page.getByTestId("segment-sample").waitFor();

    await page.getByTestId("segment-name").locator("input").fill("Slipping away");
    await page.getByTestId("segment-save").click();
    const row = page.locator("tr", { has: page.getByText("Slipping away", { exact: true }) });
    await row.waitFor();
    await expect
      .poll(() => row.getByTestId("segment-row-count").innerText())
      .toBe(expected.toLocaleString("en"));
    const saved = await gql<{ segments: { id: string; name: string }[] }>(
      "{ segments { id name } }",
    );
    segmentId = saved.segments.find((s) => s.name === "Slipping away")!.id;
    await page.screenshot({
      path: path.join(SCREENSHOTS, "segments-editor-1400-en.png"),
      fullPage: true,
    });
  });

  it("filters the customers list by the saved segment", async () => {
    const row = page.locator("tr", { has: page.getByText("Slipping away", { exact: true }) });
    await row.getByTestId("segment-row-customers").click();
    await expect.poll(() => new URL(page.url()).searchParams.get("segment")).toBe(segmentId);
    await page.getByTestId("customer-row").first().waitFor();
    await expect.poll(() => page.getByTestId("customer-row").count()).toBe(Math.min(expected, 50));
    await expect
      .poll(() => page.getByTestId("customers-segment").innerText())
      .toContain("Slipping away");
    // The same view after a reload: the filter is in the address.
    await page.reload();
    await expect.poll(() => page.getByTestId("customer-row").count()).toBe(Math.min(expected, 50));
    // The list's own export holds the same customers.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("customers-export").click(),
    ]);
    const lines = readFileSync(await download.path(), "utf8")
      .split("\r\n")
      .filter((line) => line !== "");
    expect(lines).toHaveLength(expected + 1);
  });

  it("exports the segment as CSV", async () => {
    await page.getByTestId("nav-segments").click();
    const row = page.locator("tr", { has: page.getByText("Slipping away", { exact: true }) });
    await row.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      row.getByTestId("segment-row-export").click(),
    ]);
    expect(download.suggestedFilename()).toBe("Slipping-away.csv");
    const file = await download.path();
    const lines = readFileSync(file, "utf8")
      .split("\r\n")
      .filter((line) => line !== "");
    expect(lines[0]).toBe(
      "external_id,email,name,created_at,tier,clv,p_alive,rfm_group,lifecycle_stage,churn_risk,total_spent,order_count,last_order_at",
    );
    expect(lines).toHaveLength(expected + 1);
    // Every row is in the segment: high churn risk or declining.
    for (const line of lines.slice(1)) expect(line).toMatch(/,(declining,[a-z]*|[a-z]+,high),/);
  });

  it("changes the tier policy after reading its backtest", async () => {
    await page.getByTestId("nav-tiers").click();
    await page.getByTestId("tier-count").first().waitFor();
    const percent = page.getByTestId("policy-band-percent").first().locator("input");
    await percent.fill("20");
    await percent.blur();
    await page.getByTestId("policy-backtest").click();
    const backtest = page.getByTestId("tier-backtest");
    await backtest.waitFor();
    const tiers = await gql<{
      tiers: { key: string }[];
      valueDistribution: { tiers: { customers: number }[] };
    }>("{ tiers { key } valueDistribution { tiers { customers } } }");
    expect(await page.getByTestId("backtest-tier").count()).toBe(tiers.tiers.length);
    // Every scored customer is in one tier of the backtest.
    const shown = (await page.getByTestId("backtest-tier").allInnerTexts()).map((text) =>
      Number(text.trim().split(/\s+/).pop()!.replace(/,/g, "")),
    );
    const scored = tiers.valueDistribution.tiers.reduce((sum, t) => sum + t.customers, 0);
    expect(shown.reduce((a, b) => a + b, 0)).toBe(scored);
    expect(await page.getByTestId("backtest-run").count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({
      path: path.join(SCREENSHOTS, "tiers-backtest-1400-en.png"),
      fullPage: true,
    });

    await page.getByTestId("policy-save").click();
    await expect
      .poll(async () => {
        const saved = await gql<{ tierPolicy: { bands: { percent: number }[] } }>(
          "{ tierPolicy { bands { percent } } }",
        );
        return saved.tierPolicy.bands[0]!.percent;
      })
      .toBe(20);

    // A refused policy says why, in the user's words.
    await page.getByTestId("policy-grace").locator("input").fill("");
    await page.getByTestId("policy-grace").locator("input").blur();
    await page.getByTestId("policy-save").click();
    await expect
      .poll(() => page.getByTestId("tier-policy").innerText())
      .toMatch(/Grace days run from 0 to 3650/);

    // A points policy over the last 12 months (issue 10): switching to it starts from a row per
    // tier, the editor asks for whole points and the window, and its backtest places every
    // scored customer by the points the demo data earned.
    await page.reload();
    await page.getByTestId("tier-count").first().waitFor();
    // Pick the rule and check it took: once, a CI run's pick left the rule unchanged (the menu
    // opened while the page was still settling after the reload), and once its option stayed
    // hidden for 30 s; a pick that did not take is made again.
    const kind = "Loyalty points earned reach a number";
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.getByTestId("policy-kind").click();
      // The menu may close again under the click while the page settles: open it anew.
      const picked = await page
        .locator(".n-base-select-option")
        .filter({ hasText: kind })
        .click({ timeout: 5000 })
        .then(
          () => true,
          () => false,
        );
      if (!picked) {
        await page.keyboard.press("Escape");
        continue;
      }
      const shown = page.getByTestId("policy-kind").filter({ hasText: kind });
      if (
        await shown.waitFor({ timeout: 5000 }).then(
          () => true,
          () => false,
        )
      )
        break;
    }
    await expect.poll(() => page.getByTestId("policy-kind").innerText()).toContain(kind);
    await page.getByTestId("policy-window").locator("input").fill("12");
    const points = page.getByTestId("policy-threshold-points");
    const wanted = [5000, 2000, 500];
    const rows = await points.count();
    expect(rows).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < rows; i++) {
      await points
        .nth(i)
        .locator("input")
        .fill(String(wanted[i] ?? 100));
      await points.nth(i).locator("input").blur();
    }
    await page.getByTestId("policy-backtest").click();
    await expect
      .poll(async () =>
        (await page.getByTestId("backtest-tier").allInnerTexts())
          .map((text) => Number(text.trim().split(/\s+/).pop()!.replace(/,/g, "")))
          .reduce((a, b) => a + b, 0),
      )
      .toBe(scored);
    await page.screenshot({
      path: path.join(SCREENSHOTS, "tiers-points-policy-1400-en.png"),
      fullPage: true,
    });
  });

  it("shows the new pages at 390 and 1440 px in English and Chinese", async () => {
    await screenshotPages(
      world,
      [
        { name: "segments-page", path: "/segments", ready: "segment-row-name" },
        { name: "tiers-page", path: "/tiers", ready: "tier-count" },
        {
          name: "dashboard-value",
          path: "/dashboard",
          ready: "tier-movements",
          settle: async (view) => {
            await view.getByTestId("rfm-heatmap").locator("canvas").first().waitFor();
            await view.waitForTimeout(1200);
          },
        },
        {
          name: "customers-segment",
          path: `/customers?segment=${segmentId}`,
          ready: "customer-row",
        },
      ],
      {
        widths: [390, 1440],
        languages: ["en", "zh-TW"],
        file: (name, width, lang) => `${name}-${width}-${lang}.png`,
      },
    );
  }, 300_000);
});
