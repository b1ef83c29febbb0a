/** The `createdFrom` / `createdTo` pair of `CustomerFilter`. */
export interface DateRangeFilter {
  createdFrom?: string;
  createdTo?: string;
}

/**
 * Turns a date-range picker value (two local-midnight timestamps) into an inclusive filter:
 * from the start of the first day to the last millisecond of the last day, in the viewer's
 * time zone, sent as UTC ISO strings.
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
  const to = new Date(end.getFullYear(), end.getMonth(), end.getDate(), 23, 59, 59, 999);
  return { createdFrom: from.toISOString(), createdTo: to.toISOString() };
}
