import type { Rng } from "../random/prng";
import type { AudienceField, Comparison, Condition, FieldKind, Literal } from "./audience-spec";
import type { SegmentCustomer } from "./segment-evaluate";
import { fieldKind, fixedValues, SEGMENT_FIELD_NAMES, SEGMENT_OPERATIONS } from "./segment-fields";
import { RELATIVE_DATE_LIMITS } from "./segment-tokenize";

/**
 * Random conditions and customers for property tests: the segment language's round trip
 * here, and the SQL compiler against {@link evaluateSegment} in the API. Values come mostly
 * from small shared pools, so that random tests often hit and miss random customers, and
 * sometimes from wild text (quotes, SQL, Unicode) to try the escaping.
 */
export interface RandomSegmentOptions {
  /** Deepest nesting of AND, OR and NOT (default 4). */
  maxDepth?: number;
}

const MONEY = ["0", "0.01", "10", "12.34", "99.99", "100", "250.5", "-5", "1000000"];
const NUMBERS = ["0", "0.1", "0.3", "0.5", "0.75", "1", "2.5", "-1"];
const INTEGERS = ["0", "1", "2", "3", "5", "9", "10", "-1"];
const TEXTS = ["web", "Web", "store", "ALICE", "alice", "bob@example.com", "c0001", "C0001"];
const TAGS = ["vip", "newsletter", "gift buyer", "b2b"];
/** Campaign keys (slugs, as campaigns are keyed). */
const CAMPAIGNS = ["spring-sale", "winback", "vip-days"];
const TIERS = ["high", "mid_high", "mid", "low"];
const WILD = [
  "it's",
  "''",
  "'; DROP TABLE customers; --",
  "1 OR 1=1",
  "\\",
  "/*",
  "UNION SELECT",
  "%_!",
  "line\nbreak",
  "日本語",
  "😀 emoji",
  "AND",
  " ",
];
const DAYS = ["2023-01-31", "2023-12-31", "2024-02-29", "2024-03-01", "2024-06-15"];
const OPS: readonly Comparison[] = ["<", "<=", ">", ">="];
const UNITS = ["d", "w", "m", "y"] as const;

/**
 * A random condition in the form the parser gives: ANDs and ORs of two or more parts, none
 * directly inside another of its own kind; every test suits its field.
 *
 * @param rng a seeded source (`createRng`).
 * @param options how deep to nest.
 * @returns a condition `parseSegment(printSegment(…))` gives back unchanged.
 * @example
 * randomSegmentCondition(createRng(7)); // e.g. { type: "or", conditions: [...] }
 */
export function randomSegmentCondition(rng: Rng, options: RandomSegmentOptions = {}): Condition {
  const maxDepth = options.maxDepth ?? 4;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
  const chance = (p: number): boolean => rng.next() < p;

  const condition = (depth: number, not: "and" | "or" | undefined): Condition => {
    if (depth >= maxDepth || chance(0.35)) return test();
    const type = pick((["and", "or", "not"] as const).filter((t) => t !== not));
    if (type === "not") return { type, condition: condition(depth + 1, undefined) };
    const count = 2 + Math.floor(rng.next() * 3);
    return {
      type,
      conditions: Array.from({ length: count }, () => condition(depth + 1, type)),
    };
  };

  const test = (): Condition => {
    const field = pick(SEGMENT_FIELD_NAMES);
    const kind = fieldKind(field);
    const maybeNot = (c: Condition): Condition => (chance(0.4) ? { type: "not", condition: c } : c);
    switch (pick(SEGMENT_OPERATIONS[kind])) {
      case "=":
        return { type: "compare", field, op: "=", value: literal(field, kind) };
      case "!=":
        return { type: "compare", field, op: "!=", value: literal(field, kind) };
      case "order":
        return { type: "compare", field, op: pick(OPS), value: literal(field, kind) };
      case "in": {
        const values = Array.from({ length: 1 + Math.floor(rng.next() * 4) }, () =>
          literal(field, kind),
        );
        return maybeNot({ type: "in", field, values });
      }
      case "between":
        return { type: "between", field, low: literal(field, kind), high: literal(field, kind) };
      case "contains":
        return maybeNot({
          type: "contains",
          field,
          value:
            field === "campaign"
              ? pick(CAMPAIGNS)
              : kind === "tags"
                ? pick(TAGS)
                : chance(0.8)
                  ? pick(TEXTS).slice(0, 3)
                  : pick(WILD),
        });
      case "isNull":
        return maybeNot({ type: "isNull", field });
    }
  };

  const literal = (field: AudienceField, kind: FieldKind): Literal => {
    switch (kind) {
      case "money":
        return { type: "number", value: pick(MONEY) };
      case "number":
        return { type: "number", value: pick(NUMBERS) };
      case "integer":
        return { type: "number", value: pick(INTEGERS) };
      case "date": {
        const r = rng.next();
        if (r < 0.4) return { type: "date", value: pick(DAYS) };
        if (r < 0.5) return { type: "today" };
        const unit = pick(UNITS);
        const reach = Math.min(RELATIVE_DATE_LIMITS[unit], unit === "y" ? 3 : 400);
        const amount = Math.floor(rng.next() * (2 * reach + 1)) - reach;
        return { type: "relativeDate", amount, unit };
      }
      case "key":
        return { type: "string", value: pick(fixedValues(field) ?? TIERS) };
      case "text":
      case "tags":
        return { type: "string", value: chance(0.8) ? pick(TEXTS) : pick(WILD) };
    }
  };

  return condition(0, undefined);
}

/**
 * A random customer with every field empty now and then, drawing on the same pools as
 * {@link randomSegmentCondition}, so that tests meet values they compare with.
 *
 * @param rng a seeded source.
 * @returns a customer for {@link evaluateSegment}; days are around 2023–2024.
 * @example
 * randomSegmentCustomer(createRng(1)).tier; // "mid", or undefined
 */
export function randomSegmentCustomer(rng: Rng): SegmentCustomer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.next() * items.length)]!;
  const customer: Record<string, unknown> = {};
  for (const field of SEGMENT_FIELD_NAMES) {
    if (rng.next() < 0.2) continue;
    const kind = fieldKind(field);
    switch (kind) {
      case "money":
        customer[field] = pick(MONEY);
        break;
      case "number":
        customer[field] = Number(pick(NUMBERS));
        break;
      case "integer":
        customer[field] = Number(pick(INTEGERS));
        break;
      case "date": {
        // Any day from 2022-07-01 to about 2024-12-31, to land on both sides of the literals.
        const day = new Date(Date.UTC(2022, 6, 1) + Math.floor(rng.next() * 915) * 86_400_000);
        customer[field] = day.toISOString().slice(0, 10);
        break;
      }
      case "key":
        customer[field] = pick(fixedValues(field) ?? TIERS);
        break;
      case "text":
        customer[field] = pick([...TEXTS, ""]);
        break;
      case "tags":
        customer[field] = (field === "campaign" ? CAMPAIGNS : TAGS).filter(() => rng.next() < 0.4);
        break;
    }
  }
  return customer as SegmentCustomer;
}
