import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CUSTOMERS_CSV_HEADER,
  customerCsvLine,
  generateSyntheticData,
  ORDERS_CSV_HEADER,
  orderCsvLine,
} from "@valuetier/domain";
import type { DataSource } from "typeorm";
import type { AppConfig } from "../config";
import { systemActor } from "../modules/audit/audit.service";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { ImportService } from "../modules/import/import.service";

/** The login `npm run demo` creates when ADMIN_EMAIL / ADMIN_PASSWORD are not set. */
export const DEMO_ADMIN = { email: "admin@valuetier.local", password: "valuetier-demo" } as const;

export interface SeedDemoOptions {
  /** Default 5,000. */
  customers?: number;
  /** Default 2026: the same seed gives the same customers. */
  seed?: number;
  /** End of the demo period; default today, so the data look current. */
  now?: Date;
}

const DAY_MS = 86_400_000;

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
 * and loaded through the CSV import, exactly as `valuetier generate` + `valuetier import` would.
 * Does nothing when the database already has customers.
 *
 * @returns how many customers were created (0 when the database was not empty).
 */
export async function seedDemo(
  dataSource: DataSource,
  config: Pick<AppConfig, "defaultCurrency">,
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

    const result = await new ImportService(dataSource, {
      currency: config.defaultCurrency,
      now: () => today,
    }).importCsv({
      customersFile,
      ordersFile,
      actor: systemActor("demo"),
    });
    if (result.errorCount > 0) {
      // The generator only writes valid rows: a rejection here is a bug, not bad input.
      throw new Error(`demo data was rejected: ${result.errors[0]?.reason ?? "unknown reason"}`);
    }
    log(
      `Demo data ready: ${result.customers.imported.toLocaleString("en")} customers, ` +
        `${result.orders.imported.toLocaleString("en")} orders.`,
    );
    return result.customers.imported;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
