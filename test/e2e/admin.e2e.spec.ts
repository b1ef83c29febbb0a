import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { RunningServer } from "@valuetier/api";
import { CHROMIUM, hasChromium, SCREENSHOTS, startE2eWorld, type E2eWorld } from "./harness";

const ADMIN = { email: "e2e-admin@example.test", password: "e2e-password-1" };

if (!hasChromium) {
  const line = "!".repeat(78);
  console.warn(
    `\n${line}\n!! END-TO-END TESTS SKIPPED: no Chromium at ${CHROMIUM}.\n` +
      `!! Install it with: apt-get install -y chromium  (CI's .ci/run does this)\n${line}\n`,
  );
}

describe.skipIf(!hasChromium)("admin in a real browser", () => {
  let world: E2eWorld;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    world = await startE2eWorld({
      database: "vt_e2e",
      admin: ADMIN,
      jwtSecret: "e2e".repeat(16),
      customers: 300,
      scoringRuns: 1,
      viewport: { width: 1400, height: 900 },
      signIn: false,
    });
    ({ server, browser, page } = world);
  });

  afterAll(async () => {
    await world?.close();
  });

  const shot = (name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

  it("logs in, lists customers, opens one with its orders, and switches language", async () => {
    await page.goto(server.url);
    await page.getByTestId("login-email").locator("input").fill(ADMIN.email);
    await page.getByTestId("login-password").locator("input").fill(ADMIN.password);
    await shot("01-login");
    await page.getByTestId("login-submit").click();

    await page.getByTestId("nav-customers").click();
    const rows = page.getByTestId("customer-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(10);
    await expect.poll(() => page.getByTestId("customers-table").innerText()).toMatch(/@/);
    await shot("02-customers");

    await rows.first().click();
    await page.getByTestId("customer-detail").waitFor();
    const orders = page.getByTestId("customer-orders");
    await orders.waitFor();
    await expect.poll(() => orders.innerText()).toMatch(/\d+\.\d{2}/);
    // the customer's value from the scoring run: CLV and P(alive) as a percentage
    await expect.poll(() => page.getByTestId("customer-value").innerText()).toMatch(/%/);
    await shot("03-customer");

    const englishTitle = await page.getByTestId("page-title").innerText();
    await page.getByTestId("lang-switch").click();
    await page.getByTestId("lang-zh-TW").click();
    await expect.poll(() => page.getByTestId("page-title").innerText()).not.toBe(englishTitle);
    await expect.poll(() => page.locator("body").innerText()).toMatch(/客戶/);
    await shot("04-customer-zh-TW");
  });

  it("shows the dashboard's figures and the fitted model", async () => {
    await page.getByTestId("nav-dashboard").click();
    const kpis = page.getByTestId("dashboard-kpis");
    await kpis.waitFor();
    await expect.poll(() => kpis.innerText()).toMatch(/300/);
    await shot("05-dashboard");

    await page.getByTestId("nav-value-model").click();
    const params = page.getByTestId("model-params");
    await params.waitFor();
    await expect.poll(() => params.innerText()).toMatch(/\d\.\d{2,}/);
    await page.getByTestId("tracking-chart").locator("canvas").first().waitFor();
    await shot("06-model");
  });

  it("creates an API key, shows its secret once, and the key reads customers", async () => {
    await page.goto(`${server.url}/settings/api-keys`);
    await page.getByTestId("api-key-create").click();
    await page.getByTestId("api-key-name").locator("input").fill("E2E storefront");
    await page.getByTestId("api-key-scope-customers:read").click();
    await page.getByTestId("api-key-submit").click();
    const secret = await page.getByTestId("api-key-secret").locator("input").inputValue();
    expect(secret).toMatch(/^vt_/);
    // The create form closes as the secret opens: screenshot once both animations are done.
    await page.getByTestId("api-key-name").waitFor({ state: "hidden" });
    await page.waitForTimeout(500);
    await shot("07-api-key-secret");
    await page.getByTestId("api-key-secret-done").click();
    await page.getByTestId("api-key-secret-modal").waitFor({ state: "hidden" });
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query: "{ customers(first: 1) { edges { node { externalId } } } }" }),
    });
    const body = (await res.json()) as {
      data?: { customers: { edges: { node: { externalId: string } }[] } };
    };
    expect(body.data?.customers.edges).toHaveLength(1);
  });

  // Every page as its users see it, on a phone and on a desktop, in both languages. The files
  // are for looking at (test/e2e/screenshots/<page>-<width>-<lang>.png); the checks catch a
  // page wider than the phone and a sidebar that does not fold away.
  // 768 px (a tablet, the narrowest desktop layout) is checked in English only, to keep the
  // suite quick.
  const WIDTHS = [390, 768, 1440] as const;
  const languagesAt = (width: number) => (width === 768 ? ["en"] : ["en", "zh-TW"]);

  it("shows every page at 390, 768 and 1440 px in English and Chinese", async () => {
    const customerId = await page.evaluate(async () => {
      const token = localStorage.getItem("valuetier.token");
      const res = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ customers(first: 1) { edges { node { id } } } }" }),
      });
      const body = (await res.json()) as {
        data: { customers: { edges: { node: { id: string } }[] } };
      };
      return body.data.customers.edges[0]!.node.id;
    });
    const pages: { name: string; path: string; ready: string }[] = [
      { name: "dashboard", path: "/dashboard", ready: "dashboard-charts" },
      { name: "customers", path: "/customers", ready: "customer-row" },
      { name: "customer", path: `/customers/${customerId}`, ready: "customer-orders" },
      { name: "model", path: "/value/model", ready: "model-params" },
      { name: "scoring-runs", path: "/value/runs", ready: "value-settings" },
      { name: "users", path: "/settings/users", ready: "page-title" },
      { name: "api-keys", path: "/settings/api-keys", ready: "page-title" },
      { name: "audit-log", path: "/settings/audit-log", ready: "page-title" },
      ...["segments", "tiers", "loyalty", "campaigns"].map((area) => ({
        name: area,
        path: `/${area}`,
        ready: "page-title",
      })),
    ];
    const token = await page.evaluate(() => localStorage.getItem("valuetier.token"));
    for (const width of WIDTHS) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const view = await context.newPage();
      const widthShot = (name: string, lang: string, fullPage = true) =>
        view.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}-${lang}.png`), fullPage });
      /** How far the page sticks out to the right of the window (0 when it fits). */
      const overflow = () =>
        view.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      for (const lang of languagesAt(width)) {
        await context.clearCookies();
        await view.goto(`${server.url}/login`);
        await view.evaluate((locale) => {
          localStorage.clear();
          localStorage.setItem("valuetier.locale", locale);
        }, lang);
        await view.reload();
        await view.getByTestId("login-email").waitFor();
        await widthShot("login", lang);
        expect(await overflow(), `login at ${width}px (${lang})`).toBeLessThanOrEqual(0);
        await view.evaluate((t) => localStorage.setItem("valuetier.token", t!), token);
        for (const target of pages) {
          await view.goto(`${server.url}${target.path}`);
          await view.getByTestId(target.ready).first().waitFor();
          // charts draw into canvases after the data arrives
          if (target.name === "dashboard") {
            await view.getByTestId("chart-revenue").locator("canvas").first().waitFor();
          }
          if (target.name === "dashboard" || target.name === "model") {
            // let ECharts finish its entry animation so the picture shows the data
            await view.waitForTimeout(1500);
          }
          await view.waitForLoadState("networkidle");
          await widthShot(target.name, lang);
          expect(await overflow(), `${target.name} at ${width}px (${lang})`).toBeLessThanOrEqual(0);
          // the navigation folds into a menu button on a phone and stays open on a desktop
          expect(await view.getByTestId("nav-toggle").isVisible()).toBe(width < 768);
          if (width < 768 && target.name === "dashboard") {
            // the menu opens over the page, and choosing a page closes it
            await view.getByTestId("nav-toggle").click();
            await view.getByTestId("nav-customers").waitFor();
            await view.waitForTimeout(400);
            // the drawer covers the window, not the page: a window-sized picture
            await widthShot("navigation", lang, false);
            await view.getByTestId("nav-customers").click();
            await view.getByTestId("customer-row").first().waitFor();
            await expect.poll(() => view.getByTestId("nav-customers").isVisible()).toBe(false);
          }
        }
      }
      await context.close();
    }
  }, 300_000);

  it("keeps the customer list's view in the address: reload and Back restore it", async () => {
    await page.goto(`${server.url}/customers`);
    const firstRowText = () => page.getByTestId("customer-row").first().innerText();
    await page.getByTestId("customer-row").first().waitFor();
    const unsorted = await firstRowText();
    await page.locator('[data-testid="customers-table"] th[data-col-key="orderCount"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.get("sort")).toBe("ORDER_COUNT");
    await expect.poll(firstRowText).not.toBe(unsorted);
    const sortedUrl = page.url();
    const firstRow = await firstRowText();
    await page.getByTestId("page-next").click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll("after").length).toBe(1);
    await expect.poll(firstRowText).not.toBe(firstRow);
    const secondPageRow = await firstRowText();
    await page.reload();
    await expect.poll(firstRowText).toBe(secondPageRow);
    await page.goBack();
    await expect.poll(() => page.url()).toBe(sortedUrl);
    await expect.poll(firstRowText).toBe(firstRow);
  });
});
