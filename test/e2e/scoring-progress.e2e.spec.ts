import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { RunningServer } from "@valuetier/api";
import { hasChromium, startE2eWorld, type E2eWorld } from "./harness";

const ADMIN = { email: "e2e-progress@example.test", password: "e2e-password-2" };

// admin.e2e.spec.ts prints the loud warning when Chromium is missing.
describe.skipIf(!hasChromium)("a scoring run's progress in the admin", () => {
  let world: E2eWorld;
  let server: RunningServer;
  let page: Page;

  beforeAll(async () => {
    // A run over 300 customers takes well under a second: the test-only pause after every
    // chunk (in the worker thread, inside the run) stretches it to several seconds, so that the
    // page's 1.5 s polls see it part way.
    world = await startE2eWorld({
      database: "vt_e2e_progress",
      admin: ADMIN,
      jwtSecret: "e2p".repeat(16),
      customers: 300,
      viewport: { width: 1400, height: 900 },
      signIn: false,
      serverOptions: { jobs: { scoring: { testOnlyPauseAfterChunkMs: 1500 } } },
    });
    ({ server, page } = world);
  });

  afterAll(async () => {
    await world?.close();
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
