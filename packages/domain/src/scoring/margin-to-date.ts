import { parseRate, roundHalfEven } from "../clv";
import type { CustomerOrderAggregate } from "./order-aggregate";

/**
 * A customer's margin to date in minor units: the recorded margins plus the default margin
 * rate applied to the orders that have none. The rate is applied to the customer's sum of such
 * orders and rounded once, half to even — not per order — so the result is exact given the
 * aggregate and never passes through a binary float.
 *
 * @param aggregate the customer's completed orders (only the margin fields are used).
 * @param defaultMarginRate decimal string such as "0.3".
 * @returns margin in integer minor units.
 * @throws {ClvError} INVALID_NUMBER when the rate is not a decimal.
 * @example
 * marginToDate({ marginKnownMinor: 600, amountWithoutMarginMinor: 3005 }, "0.3"); // 600 + 902 (901.5 → 902) = 1502
 */
export function marginToDate(
  aggregate: Pick<CustomerOrderAggregate, "marginKnownMinor" | "amountWithoutMarginMinor">,
  defaultMarginRate: string,
): number {
  const rate = parseRate(defaultMarginRate, "defaultMarginRate");
  const applied = roundHalfEven({
    n: BigInt(aggregate.amountWithoutMarginMinor) * rate.n,
    d: rate.d,
  });
  return aggregate.marginKnownMinor + Number(applied);
}
