/** An acquisition channel of synthetic customers: how often it occurs and what it costs. */
export interface AcquisitionChannel {
  /** Stored in `acquisition_channel`. */
  key: string;
  /** Relative weight among the channels (the weights need not add up to 1). */
  share: number;
  /** Mean acquisition cost in currency units; 0 for free channels. */
  meanCost: number;
}

/**
 * The tunable parts of the synthetic purchase process. Rates and times are per day, money in
 * currency units of the generated currency.
 */
export interface GenerateParameters {
  /**
   * BG/NBD purchase process (Fader, Hardie & Lee 2005): while alive a customer buys at Poisson
   * rate λ ~ Gamma(r, α) per day (α is a rate, so mean λ = r/α) and after each repeat purchase
   * drops out with probability p ~ Beta(a, b).
   */
  bgnbd: { r: number; alpha: number; a: number; b: number };
  /**
   * Gamma-Gamma spend (Fader & Hardie note 025): each customer has ν ~ Gamma(q, rate γ) and
   * each order is z ~ Gamma(p, rate ν), so the mean order value across customers is
   * pγ/(q−1). Spend is independent of purchase frequency, as the model assumes.
   */
  spend: { p: number; q: number; gamma: number };
  channels: readonly AcquisitionChannel[];
  /** Share of orders with status `refunded`. */
  refundShare: number;
  /** Share of orders whose margin is left empty (the default margin rate then applies). */
  emptyMarginShare: number;
  /** Margin rate of an order, drawn uniformly from [min, max). */
  marginRate: { min: number; max: number };
  /** Share of customers with tags, and the tags to pick one to three from. */
  taggedShare: number;
  tags: readonly string[];
  /** Share of customers with an NPS answer, and the relative weights of the scores 0…10. */
  npsShare: number;
  npsWeights: readonly number[];
}

/**
 * Default parameters. With the default two-year period (customers' first purchases spread
 * evenly over it, so each is observed for a year on average) they give about 10 orders per
 * customer (1 first purchase + about 9 repeats; 100,000 customers ≈ 1,000,000 orders), about
 * 94% of customers buying more than once, and a mean order value of about 60 currency units.
 *
 * - BG/NBD r = 1.5, α = 26 days: mean purchase rate one order every ~17 days while alive;
 *   a = 2, b = 25: mean dropout probability 7.4% after each repeat purchase.
 * - Gamma-Gamma p = 6, q = 4, γ = 30: mean order value 6·30/3 = 60.
 * - Channels: organic 30% (free), paid_search 22% (~45), social 16% (~30), email 12% (~8),
 *   referral 10% (~15), marketplace 10% (~20).
 * - 3% of orders refunded, 10% with an empty margin, margins 15–45% of the amount.
 * - 20% of customers tagged, 30% with an NPS score skewed towards promoters.
 */
export const DEFAULT_GENERATE_PARAMETERS: GenerateParameters = {
  bgnbd: { r: 1.5, alpha: 26, a: 2, b: 25 },
  spend: { p: 6, q: 4, gamma: 30 },
  channels: [
    { key: "organic", share: 0.3, meanCost: 0 },
    { key: "paid_search", share: 0.22, meanCost: 45 },
    { key: "social", share: 0.16, meanCost: 30 },
    { key: "email", share: 0.12, meanCost: 8 },
    { key: "referral", share: 0.1, meanCost: 15 },
    { key: "marketplace", share: 0.1, meanCost: 20 },
  ],
  refundShare: 0.03,
  emptyMarginShare: 0.1,
  marginRate: { min: 0.15, max: 0.45 },
  taggedShare: 0.2,
  tags: ["newsletter", "vip", "wholesale", "gift-buyer", "student", "b2b", "eco"],
  npsShare: 0.3,
  npsWeights: [2, 1, 1, 2, 2, 4, 6, 10, 18, 22, 20],
};

/** Default period: 2023-01-01 up to (not including) 2025-01-01, i.e. two whole years. */
export const DEFAULT_GENERATE_START = new Date("2023-01-01T00:00:00Z");
export const DEFAULT_GENERATE_END = new Date("2025-01-01T00:00:00Z");
