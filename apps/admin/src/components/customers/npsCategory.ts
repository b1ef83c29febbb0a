export type NpsCategory = "promoter" | "passive" | "detractor";

/**
 * The Net Promoter category of a 0–10 answer, as defined by Reichheld (2003): 9–10 promoter,
 * 7–8 passive, 0–6 detractor.
 *
 * @param score - the customer's NPS answer.
 * @returns the category, or null for a missing or out-of-range score.
 * @example
 * npsCategory(9) // "promoter"
 */
export function npsCategory(score: number | null | undefined): NpsCategory | null {
  if (score === null || score === undefined || !Number.isInteger(score)) return null;
  if (score < 0 || score > 10) return null;
  if (score >= 9) return "promoter";
  if (score >= 7) return "passive";
  return "detractor";
}
