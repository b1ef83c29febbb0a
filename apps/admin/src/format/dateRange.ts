/** The `createdFrom` / `createdTo` pair of `CustomerFilter`. */
export interface DateRangeFilter {
  createdFrom?: string;
  createdTo?: string;
}

/**
 * Turns a date-range picker value (two timestamps) into the API's half-open range covering
 * both picked days whole, in the viewer's time zone: `createdFrom` is the start of the first
 * day ("on or after") and `createdTo` the start of the day after the last ("before").
 *
 * @param range - `[start, end]` in epoch milliseconds, or null when no range is chosen.
 * @returns the filter fields, empty when there is no range.
 * @example
 * toDateRangeFilter(null) // {}
 */
export function toDateRangeFilter(range: readonly [number, number] | null): DateRangeFilter {
  if (!range) return {};
  const start = new Date(range[0]);
  const end = new Date(range[1]);
  const from = new Date(start.getFullYear(), start.getMonth(), start.getDate());
  // Day arithmetic through the Date constructor, so a daylight-saving change is not 24 h off.
  const to = new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1);
  return { createdFrom: from.toISOString(), createdTo: to.toISOString() };
}
