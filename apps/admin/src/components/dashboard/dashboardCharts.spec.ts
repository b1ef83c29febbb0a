import { describe, expect, it } from "vitest";
import {
  clvHistogramOption,
  cohortCells,
  cohortHeatmapOption,
  newReturningOption,
  revenueOrdersOption,
  type ChartText,
  type SeriesData,
} from "./dashboardCharts";

const usd = (amount: string) => ({ amount, currency: "USD" });
const DATA: SeriesData = {
  months: [
    { month: "2026-01", revenue: usd("130.00"), orders: 2, newCustomers: 2, returningCustomers: 0 },
    { month: "2026-02", revenue: usd("115.50"), orders: 4, newCustomers: 1, returningCustomers: 2 },
  ],
  cohorts: [
    { month: "2026-01", customers: 2, retention: [1, 0.5] },
    { month: "2026-02", customers: 1, retention: [1] },
  ],
  clvHistogram: [
    { from: usd("-10.00"), to: usd("0.00"), customers: 1 },
    { from: usd("0.00"), to: usd("10.00"), customers: 11 },
    { from: usd("10.00"), to: null, customers: 1 },
  ],
};
const TEXT: ChartText = {
  monthLabel: (m) => `M${m}`,
  revenue: "Revenue",
  orders: "Orders",
  newCustomers: "New",
  returningCustomers: "Returning",
  customers: "customers",
  monthsAfter: "Months after",
  cohort: "Cohort",
  money: (m) => `$${m.amount}`,
  compactNumber: String,
  count: String,
  percent: (s) => `${Math.round(s * 100)}%`,
  bucket: (from, to) => (to === null ? `≥ ${from}` : `${from} – ${to}`),
};

type AnySeries = { data: unknown[]; name?: string; stack?: string };
const seriesOf = (option: { series?: unknown }) => option.series as AnySeries[];

describe("dashboard charts", () => {
  it("plots revenue and orders per month, and shows the exact amount in the tooltip", () => {
    const option = revenueOrdersOption(DATA, TEXT);
    expect((option.xAxis as { data: string[] }).data).toEqual(["M2026-01", "M2026-02"]);
    expect(seriesOf(option).map((s) => s.data)).toEqual([
      [130, 115.5],
      [2, 4],
    ]);
    const tooltip = option.tooltip as { formatter: (p: unknown) => string };
    expect(tooltip.formatter([{ dataIndex: 1 }])).toBe(
      "M2026-02<br/>Revenue: $115.50<br/>Orders: 4",
    );
  });

  it("stacks new and returning customers", () => {
    const series = seriesOf(newReturningOption(DATA, TEXT));
    expect(series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ["New", "buyers", [2, 1]],
      ["Returning", "buyers", [0, 2]],
    ]);
  });

  it("labels the histogram's buckets, the last one open", () => {
    const option = clvHistogramOption(DATA, TEXT);
    expect((option.xAxis as { data: string[] }).data).toEqual([
      "$-10.00 – $0.00",
      "$0.00 – $10.00",
      "≥ $10.00",
    ]);
    expect(seriesOf(option)[0]!.data).toEqual([1, 11, 1]);
  });

  it("puts each cohort's later months in the heat map, leaving out month 0", () => {
    expect(cohortCells(DATA)).toEqual([[0, 0, 0.5]]);
    const option = cohortHeatmapOption(DATA, TEXT);
    expect((option.yAxis as { data: string[] }).data).toEqual(["M2026-01", "M2026-02"]);
    expect((option.xAxis as { data: string[] }).data).toEqual(["1"]);
    const tooltip = option.tooltip as { formatter: (p: unknown) => string };
    expect(tooltip.formatter({ value: [0, 0, 0.5] })).toBe(
      "Cohort: M2026-01 (2 customers)<br/>Months after: 1<br/>50%",
    );
  });

  it("copes with no data at all", () => {
    const empty: SeriesData = { months: [], cohorts: [], clvHistogram: null };
    expect(seriesOf(revenueOrdersOption(empty, TEXT))[0]!.data).toEqual([]);
    expect(seriesOf(clvHistogramOption(empty, TEXT))[0]!.data).toEqual([]);
    expect(cohortCells(empty)).toEqual([]);
    expect((cohortHeatmapOption(empty, TEXT).xAxis as { data: string[] }).data).toEqual([]);
  });
});
