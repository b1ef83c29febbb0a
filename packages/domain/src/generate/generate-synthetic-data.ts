import { currencyExponent, formatMoney } from "../money";
import {
  createRng,
  RandomParameterError,
  sampleBeta,
  sampleExponential,
  sampleGamma,
  type Rng,
} from "../random";
import { EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES } from "./names";
import {
  DEFAULT_GENERATE_END,
  DEFAULT_GENERATE_PARAMETERS,
  DEFAULT_GENERATE_START,
  type GenerateParameters,
} from "./parameters";

/**
 * A customers.csv record, as text keyed by column name (valid input for the import). A type
 * alias rather than an interface so that it is assignable to `ImportRecord`.
 */
export type GeneratedCustomer = {
  external_id: string;
  email: string;
  name: string;
  created_at: string;
  acquisition_channel: string;
  acquisition_cost: string;
  /** `;`-separated, or empty. */
  tags: string;
  /** "0"…"10", or empty. */
  nps: string;
};

/** An orders.csv record, as text keyed by column name (valid input for the import). */
export type GeneratedOrder = {
  external_id: string;
  customer_external_id: string;
  placed_at: string;
  amount: string;
  /** Empty for some orders: the configured default margin rate then applies. */
  margin: string;
  currency: string;
  status: "completed" | "refunded";
};

/** One customer with all their orders, in time order. */
export interface GeneratedCustomerHistory {
  customer: GeneratedCustomer;
  orders: GeneratedOrder[];
}

export interface GenerateOptions {
  /** How many customers to generate. */
  customers: number;
  /** Seed of the random stream; the same options and seed give the same data. Default 1. */
  seed?: number;
  /** Start of the period (inclusive). Default 2023-01-01T00:00Z. */
  start?: Date;
  /** End of the period (exclusive). Default 2025-01-01T00:00Z. */
  end?: Date;
  /** ISO 4217 code of every order and of acquisition costs. Default "USD". */
  currency?: string;
  /** Overrides of {@link DEFAULT_GENERATE_PARAMETERS}. */
  parameters?: Partial<GenerateParameters>;
}

const DAY_MS = 86_400_000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const dayPrefixes = new Map<number, string>();

/**
 * ISO 8601 to the second, UTC: "2024-03-05T10:11:12Z". Called for every order, so the date part
 * is cached per day and the time built from integers instead of going through Date.
 */
function isoSeconds(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let seconds = Math.floor((ms - day * DAY_MS) / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${prefix}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}Z`;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng.next() * items.length)]!;
}

function pickWeighted(rng: Rng, cumulative: readonly number[]): number {
  const u = rng.next() * cumulative[cumulative.length - 1]!;
  let i = 0;
  while (u >= cumulative[i]! && i < cumulative.length - 1) i++;
  return i;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += w));
}

function checkParameters(options: GenerateOptions, start: number, end: number): void {
  if (!Number.isSafeInteger(options.customers) || options.customers < 0) {
    throw new RandomParameterError(
      `generate: customers must be a whole number >= 0, got ${options.customers}`,
    );
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new RandomParameterError("generate: the period must end after it starts");
  }
}

/**
 * The synthetic data process behind `valuetier generate`: customers whose first purchases are
 * spread evenly over the period, each with an acquisition channel and cost, a name and a
 * unique email, some with tags and an NPS score; their orders follow the BG/NBD purchase
 * process (first purchase at sign-up, then Poisson purchases at rate λ ~ Gamma(r, α) until
 * the customer drops out, with probability p ~ Beta(a, b) after each repeat purchase, or the
 * period ends), and order values follow the Gamma-Gamma spend model. See
 * {@link DEFAULT_GENERATE_PARAMETERS} for the defaults and what they give.
 *
 * It is a generator, one customer at a time, so that a caller can stream millions of rows to
 * files without holding them. All randomness comes from one seeded stream, drawn in a fixed
 * order: the same options give identical records (on the same JavaScript engine; Math.log
 * and Math.pow are not bit-for-bit specified across engines), and the first n customers of a
 * larger run equal those of a run of n.
 *
 * @param options number of customers, seed, period, currency, parameter overrides.
 * @returns an iterator of {@link GeneratedCustomerHistory}, customer ids C0000001, C0000002, …
 *   and order ids O00000001, … in generation order.
 * @throws {RandomParameterError} for a negative or fractional customer count or an empty period.
 * @throws {UnknownCurrencyError} for an unknown currency.
 * @example
 * for (const { customer, orders } of generateSyntheticData({ customers: 2, seed: 7 })) {
 *   customer.external_id; // "C0000001", then "C0000002"
 *   orders.length; // 1 or more
 * }
 */
export function* generateSyntheticData(
  options: GenerateOptions,
): Generator<GeneratedCustomerHistory, void, undefined> {
  const params: GenerateParameters = { ...DEFAULT_GENERATE_PARAMETERS, ...options.parameters };
  const start = (options.start ?? DEFAULT_GENERATE_START).getTime();
  const end = (options.end ?? DEFAULT_GENERATE_END).getTime();
  checkParameters(options, start, end);
  const currency = options.currency ?? "USD";
  const scale = 10 ** currencyExponent(currency);
  const rng = createRng(options.seed ?? 1);
  const spanSeconds = Math.floor((end - start) / 1000);
  const channelWeights = cumulate(params.channels.map((c) => c.share));
  const npsWeights = cumulate(params.npsWeights);
  const { r, alpha, a, b } = params.bgnbd;
  const { p: spendShape, q, gamma } = params.spend;
  const marginSpan = params.marginRate.max - params.marginRate.min;
  const idWidth = Math.max(7, String(options.customers).length);
  let orderSeq = 0;

  for (let i = 1; i <= options.customers; i++) {
    const externalId = `C${pad(i, idWidth)}`;
    const first = pick(rng, FIRST_NAMES);
    const last = pick(rng, LAST_NAMES);
    const domain = pick(rng, EMAIL_DOMAINS);
    const channel = params.channels[pickWeighted(rng, channelWeights)]!;
    // Acquisition cost ~ Gamma(4, mean/4): positive, moderately spread around the channel mean.
    const costMinor =
      channel.meanCost > 0 ? Math.round(sampleGamma(rng, 4, channel.meanCost / 4) * scale) : 0;
    const firstPurchase = start + Math.floor(rng.next() * spanSeconds) * 1000;

    let tags = "";
    if (rng.next() < params.taggedShare) {
      const count = 1 + Math.floor(rng.next() * 3);
      const chosen = new Set<string>();
      for (let k = 0; k < count; k++) chosen.add(pick(rng, params.tags));
      tags = [...chosen].join(";");
    }
    const nps = rng.next() < params.npsShare ? String(pickWeighted(rng, npsWeights)) : "";

    // Latent traits: purchase rate per day, dropout probability, spend scale.
    const lambda = sampleGamma(rng, r, 1 / alpha);
    const dropout = sampleBeta(rng, a, b);
    const nu = sampleGamma(rng, q, 1 / gamma);

    const customer: GeneratedCustomer = {
      external_id: externalId,
      email: `${first.ascii}.${last.ascii}.${i}@${domain}`,
      name: `${first.display} ${last.display}`,
      created_at: isoSeconds(firstPurchase),
      acquisition_channel: channel.key,
      acquisition_cost: formatMoney(costMinor, currency),
      tags,
      nps,
    };

    const orders: GeneratedOrder[] = [];
    const addOrder = (at: number): void => {
      const amountMinor = Math.max(1, Math.round(sampleGamma(rng, spendShape, 1 / nu) * scale));
      let margin = "";
      if (rng.next() >= params.emptyMarginShare) {
        const rate = params.marginRate.min + rng.next() * marginSpan;
        margin = formatMoney(Math.round(amountMinor * rate), currency);
      }
      orders.push({
        external_id: `O${pad(++orderSeq, 8)}`,
        customer_external_id: externalId,
        placed_at: isoSeconds(at),
        amount: formatMoney(amountMinor, currency),
        margin,
        currency,
        status: rng.next() < params.refundShare ? "refunded" : "completed",
      });
    };

    // The first purchase starts the clock; repeat purchases follow at rate λ and, after each
    // repeat purchase, the customer drops out with probability p (a rate that underflowed to
    // 0 means no repeat purchase at all).
    let at = firstPurchase;
    addOrder(at);
    while (lambda > 0) {
      at += Math.ceil((sampleExponential(rng, lambda) * DAY_MS) / 1000) * 1000;
      if (at >= end) break;
      addOrder(at);
      if (rng.next() < dropout) break;
    }
    yield { customer, orders };
  }
}
