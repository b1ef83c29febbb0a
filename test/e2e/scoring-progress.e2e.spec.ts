import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { loadConfig, seedDemo, startServer, UserService, type RunningServer } from "@valuetier/api";
import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const ADMIN = { email: "e2e-progress@example.test", password: "e2e-password-2" };

// admin.e2e.spec.ts prints the loud warning when Chromium is missing.
describe.skipIf(!existsSync(CHROMIUM))("a scoring run's progress in the admin", () => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    db = await createTestDatabase("vt_e2e_progress");
    const config = loadConfig({ DATABASE_URL: db.url, PORT: "0", JWT_SECRET: "e2p".repeat(16) });
    await new UserService(db.dataSource).ensureFirstAdmin(ADMIN.email, ADMIN.password);
    await seedDemo(db.dataSource, config, () => undefined, { customers: 300 });
    // A run over 300 customers takes well under a second: the test-only pause after every
    // chunk (in the worker thread, inside the run) stretches it to several seconds, so that the
    // page's 1.5 s polls see it part way.
    server = await startServer(
      config,
      db.dataSource,
      { ...console, error: () => undefined },
      { jobs: { scoring: { testOnlyPauseAfterChunkMs: 1500 } } },
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.drop();
  });

  it("starts a run and sees the progress bar move until it succeeds", async () => {
    await page.goto(server.url);
    await page.getByTestId("login-email").locator("input").fill(ADMIN.email);
    await page.getByTestId("login-password").locator("input").fill(ADMIN.password);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("nav-value-runs").click();

    // Before the first run every customer is waiting for a value.
    await expect.poll(() => page.getByTestId("not-scored-yet").innerText()).toMatch(/300/);

    await page.getByTestId("run-scoring").click();
    const progress = page.getByTestId("run-progress");
    await progress.waitFor();
    const bar = progress.locator('[role="progressbar"]');
    const values: number[] = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const text = await progress.innerText();
      const now = Number(await bar.getAttribute("aria-valuenow"));
      if (values.at(-1) !== now) values.push(now);
      if (/Succeeded|Failed/.test(text) || Date.now() > deadline) break;
      await page.waitForTimeout(200);
    }
    expect(await progress.innerText()).toMatch(/Succeeded/);
    // Seen part way at least once, then further on: the bar moved.
    const partWay = values.filter((v) => v > 0 && v < 100);
    expect(partWay.length).toBeGreaterThan(0);
    expect(values.at(-1)).toBe(100);
    expect(new Set(values).size).toBeGreaterThanOrEqual(2);
    // Everyone is scored now.
    await expect.poll(() => page.getByTestId("not-scored-yet").count()).toBe(0);
  });
});
