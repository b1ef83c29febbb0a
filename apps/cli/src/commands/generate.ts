import { once } from "node:events";
import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from "node:fs";
import path from "node:path";
import {
  CUSTOMERS_CSV_HEADER,
  customerCsvLine,
  DEFAULT_GENERATE_END,
  DEFAULT_GENERATE_START,
  generateSyntheticData,
  isKnownCurrency,
  ORDERS_CSV_HEADER,
  orderCsvLine,
  parseTimestamp,
} from "@valuetier/domain";
import type { Command } from "commander";
import { CliError } from "../cli-error";
import { printJson, type CliIo } from "../io";

const DAY_MS = 86_400_000;
/** Bytes collected before a write: large writes keep 1M rows to a few hundred syscalls. */
const CHUNK_BYTES = 1 << 20;

interface GenerateOptions {
  customers: string;
  seed: string;
  from?: string;
  to?: string;
  currency: string;
  out: string;
  json?: boolean;
}

function day(text: string, option: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseTimestamp(text) : null;
  if (!parsed?.ok) throw new CliError(`${option} must be a date YYYY-MM-DD, got "${text}"`);
  return parsed.date;
}

/**
 * A file written in large chunks, renamed into place when complete. Lines are encoded straight
 * into a 1 MB buffer: collecting them in one long string instead keeps thousands of short
 * strings alive until the write and doubles the time spent in garbage collection.
 */
class ChunkedFile {
  private buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private readonly stream: WriteStream;
  private readonly temp: string;

  constructor(readonly file: string) {
    this.temp = `${file}.partial`;
    this.stream = createWriteStream(this.temp);
  }

  async write(text: string): Promise<void> {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.used + text.length * 3 > CHUNK_BYTES) {
      await this.flush();
      if (text.length * 3 > CHUNK_BYTES) {
        await this.send(Buffer.from(text, "utf8"));
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, "utf8");
  }

  private async flush(): Promise<void> {
    if (this.used === 0) return;
    const chunk = this.buffer.subarray(0, this.used);
    // The stream keeps the chunk until it is written: continue in a fresh buffer.
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
    await this.send(chunk);
  }

  private async send(chunk: Buffer): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
    renameSync(this.temp, this.file);
  }

  discard(): void {
    this.stream.destroy();
    rmSync(this.temp, { force: true });
  }
}

async function generate(options: GenerateOptions, io: CliIo): Promise<void> {
  if (!/^\d+$/.test(options.customers) || Number(options.customers) > 100_000_000) {
    throw new CliError(
      `--customers must be a whole number up to 100000000, got "${options.customers}"`,
    );
  }
  if (!/^-?\d+$/.test(options.seed) || !Number.isSafeInteger(Number(options.seed))) {
    throw new CliError(`--seed must be a whole number, got "${options.seed}"`);
  }
  const currency = options.currency.toUpperCase();
  if (!isKnownCurrency(currency)) {
    throw new CliError(
      `--currency must be an ISO 4217 code such as USD, got "${options.currency}"`,
    );
  }
  const start = options.from ? day(options.from, "--from") : DEFAULT_GENERATE_START;
  // --to names the last day of the period; the process runs until the end of that day.
  const end = options.to
    ? new Date(day(options.to, "--to").getTime() + DAY_MS)
    : DEFAULT_GENERATE_END;
  if (end <= start) throw new CliError("--to must not be before --from");
  if (end.getTime() > Date.now() + DAY_MS) {
    throw new CliError("--to must not be after today: the import refuses orders in the future");
  }

  const customers = Number(options.customers);
  mkdirSync(options.out, { recursive: true });
  const customersFile = new ChunkedFile(path.join(options.out, "customers.csv"));
  const ordersFile = new ChunkedFile(path.join(options.out, "orders.csv"));
  const started = Date.now();
  let lastReport = started;
  let customerCount = 0;
  let orderCount = 0;
  try {
    await customersFile.write(CUSTOMERS_CSV_HEADER);
    await ordersFile.write(ORDERS_CSV_HEADER);
    const histories = generateSyntheticData({
      customers,
      seed: Number(options.seed),
      start,
      end,
      currency,
    });
    for (const { customer, orders } of histories) {
      await customersFile.write(customerCsvLine(customer));
      for (const order of orders) await ordersFile.write(orderCsvLine(order));
      customerCount++;
      orderCount += orders.length;
      if ((customerCount & 0x3ff) === 0 && Date.now() - lastReport >= 2000) {
        lastReport = Date.now();
        io.stderr(
          `generated ${customerCount.toLocaleString("en")} of ${customers.toLocaleString("en")} customers\n`,
        );
      }
    }
    await customersFile.close();
    await ordersFile.close();
  } catch (error) {
    customersFile.discard();
    ordersFile.discard();
    throw error;
  }
  const seconds = (Date.now() - started) / 1000;
  const summary = {
    customers: customerCount,
    orders: orderCount,
    files: { customers: customersFile.file, orders: ordersFile.file },
    seed: Number(options.seed),
    from: start.toISOString().slice(0, 10),
    to: new Date(end.getTime() - DAY_MS).toISOString().slice(0, 10),
    currency,
    seconds,
  };
  if (options.json) printJson(io, summary);
  else {
    io.stdout(
      `wrote ${customerCount.toLocaleString("en")} customers and ${orderCount.toLocaleString("en")} orders ` +
        `to ${customersFile.file} and ${ordersFile.file} in ${seconds.toFixed(1)} s\n`,
    );
  }
}

/** `valuetier generate`: synthetic customers.csv and orders.csv (see apps/cli/README.md). */
export function register(program: Command, io: CliIo): void {
  program
    .command("generate")
    .description(
      "write synthetic customers.csv and orders.csv from the BG/NBD purchase process " +
        "(the same seed gives byte-identical files)",
    )
    .requiredOption("--customers <n>", "number of customers")
    .option("--seed <s>", "seed of the random stream", "1")
    .option("--from <date>", "first day of the period, YYYY-MM-DD (default 2023-01-01)")
    .option("--to <date>", "last day of the period, inclusive (default 2024-12-31)")
    .option("--currency <code>", "ISO 4217 currency of orders and acquisition costs", "USD")
    .requiredOption("--out <dir>", "folder to write customers.csv and orders.csv to")
    .option("--json", "print a JSON summary on stdout")
    .action(async (options: GenerateOptions) => generate(options, io));
}
