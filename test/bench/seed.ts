import { execFileSync } from "node:child_process";
import path from "node:path";
import { createTestDatabase, type TestDatabase } from "@valuetier/api/testing";

/** Runs the built `valuetier` command and returns its stdout (stderr passes through). */
export function cli(args: string[]): string {
  return execFileSync(
    process.execPath,
    [require.resolve("@valuetier/cli/bin/valuetier.js"), ...args],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 },
  );
}

export interface SeededDatabase {
  db: TestDatabase;
  customers: number;
  orders: number;
  importSeconds: number;
}

/**
 * The benchmarks' data: `valuetier generate` of `customers` (seeded) into `dir`, then
 * `valuetier import` into a fresh MySQL database named after `prefix`, checked to have
 * written every generated order.
 */
export async function seedBenchDatabase(
  prefix: string,
  options: { customers: number; seed: number; dir: string; log: (line: string) => void },
): Promise<SeededDatabase> {
  const { customers, seed, dir, log } = options;
  log(`generating ${customers.toLocaleString("en")} customers (seed ${seed}) into ${dir}`);
  const generated = JSON.parse(
    cli([
      "generate",
      "--customers",
      String(customers),
      "--seed",
      String(seed),
      "--out",
      dir,
      "--json",
    ]),
  ) as { customers: number; orders: number };
  const db = await createTestDatabase(prefix);
  const started = performance.now();
  const imported = JSON.parse(
    cli([
      "import",
      "--customers",
      path.join(dir, "customers.csv"),
      "--orders",
      path.join(dir, "orders.csv"),
      "--database-url",
      db.url,
      "--json",
    ]),
  ) as { orders: { imported: number } };
  if (imported.orders.imported !== generated.orders) {
    await db.drop();
    throw new Error(
      `the import wrote ${JSON.stringify(imported)}, expected ${generated.orders} orders`,
    );
  }
  const importSeconds = (performance.now() - started) / 1000;
  log(
    `imported ${generated.customers.toLocaleString("en")} customers and ` +
      `${generated.orders.toLocaleString("en")} orders in ${importSeconds.toFixed(1)} s`,
  );
  return { db, customers: generated.customers, orders: generated.orders, importSeconds };
}
