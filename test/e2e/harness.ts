/**
 * What every end-to-end spec starts from: a fresh MySQL database with an admin and the demo
 * data, the built API and admin served on a free port, and Chromium (Debian's, through
 * playwright-core) with a page, signed in or not. Specs keep their own scenario; this keeps the
 * start-up, the GraphQL-from-the-page helper and the clean-up in one place.
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import {
  loadConfig,
  ScoringRunService,
  seedDemo,
  startServer,
  systemActor,
  UserService,
  type AppConfig,
  type RunningServer,
} from "@valuetier/api";
import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const SCREENSHOTS = path.resolve(__dirname, "screenshots");
export const hasChromium = existsSync(CHROMIUM);

export interface E2eWorldOptions {
  /** Prefix of the test database's name. */
  database: string;
  admin: { email: string; password: string };
  /** 48 characters or more. */
  jwtSecret: string;
  /** Demo customers to seed. */
  customers: number;
  /** As `npm run demo`: a scoring run between the orders and the back-filled points. */
  firstScoringRun?: boolean;
  /** Scoring runs after seeding (values and tiers; two give tier movements). Default 0. */
  scoringRuns?: number;
  /** The browser page's viewport. Default 1440 × 900. */
  viewport?: { width: number; height: number };
  /** Let the page download files (exports). */
  acceptDownloads?: boolean;
  /** The server's options (test-only job settings). */
  serverOptions?: Parameters<typeof startServer>[3];
  /** Sign the page in, in English. Default true. */
  signIn?: boolean;
  /** Runs after the database is seeded, before the server starts. */
  prepare?: (db: TestDatabase, config: AppConfig) => Promise<void>;
}

export interface E2eWorld {
  db: TestDatabase;
  config: AppConfig;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Closes the browser and the server and drops the database. */
  close(): Promise<void>;
}

/** Starts what a spec needs (see the file's comment); call `close` in afterAll. */
export async function startE2eWorld(options: E2eWorldOptions): Promise<E2eWorld> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const db = await createTestDatabase(options.database);
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.close();
    await db.drop();
  };
  try {
    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: "0",
      JWT_SECRET: options.jwtSecret,
      ...(process.env.ADMIN_DIST_DIR ? { ADMIN_DIST_DIR: process.env.ADMIN_DIST_DIR } : {}),
    });
    if (!existsSync(path.join(config.adminDistDir, "index.html"))) {
      throw new Error(
        `the admin app is not built at ${config.adminDistDir}: run npm run build first`,
      );
    }
    await new UserService(db.dataSource).ensureFirstAdmin(
      options.admin.email,
      options.admin.password,
    );
    await seedDemo(db.dataSource, config, () => undefined, {
      customers: options.customers,
      ...(options.firstScoringRun ? { firstScoringRun: true } : {}),
    });
    const scoring = new ScoringRunService(db.dataSource, {
      currency: config.defaultCurrency,
      defaultMarginRate: config.defaultMarginRate,
    });
    for (let i = 0; i < (options.scoringRuns ?? 0); i++) await scoring.runNow(systemActor("e2e"));
    await options.prepare?.(db, config);
    server = await startServer(
      config,
      db.dataSource,
      { ...console, error: () => undefined },
      options.serverOptions,
    );
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1440, height: 900 },
      acceptDownloads: options.acceptDownloads ?? false,
    });
    const page = await context.newPage();
    if (options.signIn !== false) await signIn(page, server.url, options.admin);
    return { db, config, server, browser, page, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Signs `page` in through the login form, in English, and waits for the first page. */
export async function signIn(
  page: Page,
  url: string,
  admin: { email: string; password: string },
): Promise<void> {
  await page.goto(`${url}/login`);
  await page.evaluate(() => localStorage.setItem("valuetier.locale", "en"));
  await page.reload();
  await page.getByTestId("login-email").locator("input").fill(admin.email);
  await page.getByTestId("login-password").locator("input").fill(admin.password);
  await page.getByTestId("login-submit").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  await page.getByTestId("page-title").waitFor();
}

/**
 * A GraphQL call made by the page (same origin), with its session token or the given API key;
 * throws on GraphQL errors.
 */
export async function pageGql<T>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
): Promise<T> {
  const answer = (await page.evaluate(
    async ([q, v, k]) => {
      const token = k ?? localStorage.getItem("valuetier.token");
      const res = await fetch("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return (await res.json()) as { data: unknown; errors?: { message: string }[] };
    },
    [query, variables, key] as const,
  )) as { data: T; errors?: { message: string }[] };
  if (answer.errors?.length) throw new Error(answer.errors.map((e) => e.message).join("; "));
  return answer.data;
}

/** A page to screenshot: its path, a test id that shows it is ready, and extra waiting. */
export interface ScreenshotTarget {
  name: string;
  path: string;
  ready: string;
  /** Waits for what `ready` does not cover (charts drawn, animations done). */
  settle?: (view: Page) => Promise<void>;
}

/**
 * Screenshots `targets` at each width in each language, signed in with the session of `page`,
 * into SCREENSHOTS as `file(name, width, lang)`; every page must fit its width (no sideways
 * scrolling). Each width gets a fresh browser context.
 */
export async function screenshotPages(
  world: Pick<E2eWorld, "browser" | "server" | "page">,
  targets: readonly ScreenshotTarget[],
  options: {
    widths: readonly number[];
    languages: readonly string[];
    file: (name: string, width: number, lang: string) => string;
  },
): Promise<void> {
  const token = await world.page.evaluate(() => localStorage.getItem("valuetier.token"));
  for (const width of options.widths) {
    const context = await world.browser.newContext({ viewport: { width, height: 900 } });
    const view = await context.newPage();
    try {
      for (const lang of options.languages) {
        await view.goto(`${world.server.url}/login`);
        await view.evaluate(
          ([locale, t]) => {
            localStorage.setItem("valuetier.locale", locale!);
            localStorage.setItem("valuetier.token", t!);
          },
          [lang, token] as const,
        );
        for (const target of targets) {
          await view.goto(`${world.server.url}${target.path}`);
          await view.getByTestId(target.ready).first().waitFor();
          await target.settle?.(view);
          await view.waitForLoadState("networkidle");
          await view.screenshot({
            path: path.join(SCREENSHOTS, options.file(target.name, width, lang)),
            fullPage: true,
          });
          const overflow = await view.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${target.name} at ${width}px (${lang})`).toBeLessThanOrEqual(0);
        }
      }
    } finally {
      await context.close();
    }
  }
}
