import type { ComposeOption } from "echarts/core";
import type { BarSeriesOption, HeatmapSeriesOption, LineSeriesOption } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from "echarts/components";

export type DashboardChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** The parts of `dashboardSeries` the charts read. */
export interface SeriesData {
  months: ReadonlyArray<{
    month: string;
    revenue: { amount: string; currency: string };
    orders: number;
    newCustomers: number;
    returningCustomers: number;
  }>;
  cohorts: ReadonlyArray<{ month: string; customers: number; retention: readonly number[] }>;
  clvHistogram?: ReadonlyArray<{
    from: { amount: string; currency: string };
    to?: { amount: string; currency: string } | null;
    customers: number;
  }> | null;
}

/** Locale-bound text and number formats the charts need (from i18n and useFormatters). */
export interface ChartText {
  monthLabel: (month: string) => string;
  revenue: string;
  orders: string;
  newCustomers: string;
  returningCustomers: string;
  customers: string;
  monthsAfter: string;
  cohort: string;
  money: (money: { amount: string; currency: string }) => string;
  /** Short axis labels for amounts, e.g. "12K". */
  compactNumber: (value: number) => string;
  count: (value: number) => string;
  percent: (share: number) => string;
  /** "from – to" label of a histogram bucket, "≥ from" for the open one. */
  bucket: (from: string, to: string | null) => string;
}

const REVENUE_COLOR = "#18a058";
const ORDERS_COLOR = "#2080f0";
const NEW_COLOR = "#f0a020";
const RETURNING_COLOR = "#2080f0";

const GRID = { left: 8, right: 8, top: 48, bottom: 8, containLabel: true };

/**
 * Revenue (bars, left axis) and completed orders (line, right axis) by month. The bar heights
 * are the decimal amounts read as numbers: display only, the tooltip shows the exact string.
 */
export function revenueOrdersOption(data: SeriesData, text: ChartText): DashboardChartOption {
  const months = data.months;
  return {
    color: [REVENUE_COLOR, ORDERS_COLOR],
    grid: GRID,
    legend: { top: 0, data: [text.revenue, text.orders] },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const items = Array.isArray(params) ? params : [params];
        const index = items[0]?.dataIndex ?? 0;
        const month = months[index];
        if (!month) return "";
        return [
          text.monthLabel(month.month),
          `${text.revenue}: ${text.money(month.revenue)}`,
          `${text.orders}: ${text.count(month.orders)}`,
        ].join("<br/>");
      },
    },
    xAxis: { type: "category", data: months.map((m) => text.monthLabel(m.month)) },
    yAxis: [
      { type: "value", axisLabel: { formatter: (v: number) => text.compactNumber(v) } },
      {
        type: "value",
        splitLine: { show: false },
        axisLabel: { formatter: (v: number) => text.count(v) },
      },
    ],
    series: [
      {
        type: "bar",
        name: text.revenue,
        data: months.map((m) => Number(m.revenue.amount)),
      },
      {
        type: "line",
        name: text.orders,
        yAxisIndex: 1,
        data: months.map((m) => m.orders),
        symbolSize: 6,
      },
    ],
  };
}

/** New and returning customers by month, stacked: together, the month's buyers. */
export function newReturningOption(data: SeriesData, text: ChartText): DashboardChartOption {
  return {
    color: [NEW_COLOR, RETURNING_COLOR],
    grid: GRID,
    legend: { top: 0, data: [text.newCustomers, text.returningCustomers] },
    tooltip: { trigger: "axis", valueFormatter: (v) => text.count(Number(v)) },
    xAxis: { type: "category", data: data.months.map((m) => text.monthLabel(m.month)) },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => text.count(v) } },
    series: [
      {
        type: "bar",
        stack: "buyers",
        name: text.newCustomers,
        data: data.months.map((m) => m.newCustomers),
      },
      {
        type: "bar",
        stack: "buyers",
        name: text.returningCustomers,
        data: data.months.map((m) => m.returningCustomers),
      },
    ],
  };
}

/** The current run's CLV as a histogram; the last bar is open-ended ("≥ …"). */
export function clvHistogramOption(data: SeriesData, text: ChartText): DashboardChartOption {
  const buckets = data.clvHistogram ?? [];
  const labels = buckets.map((b) =>
    text.bucket(text.money(b.from), b.to ? text.money(b.to) : null),
  );
  return {
    color: [REVENUE_COLOR],
    grid: { ...GRID, top: 16 },
    tooltip: {
      trigger: "axis",
      valueFormatter: (v) => `${text.count(Number(v))} ${text.customers}`,
    },
    xAxis: { type: "category", data: labels, axisLabel: { rotate: 40, fontSize: 10 } },
    yAxis: { type: "value", axisLabel: { formatter: (v: number) => text.count(v) } },
    series: [
      {
        type: "bar",
        name: text.customers,
        data: buckets.map((b) => b.customers),
        barCategoryGap: "8%",
      },
    ],
  };
}

/** Heat map cells [k, cohort index, share] of cohort retention; k = 0 (always 100 %) left out. */
export function cohortCells(data: SeriesData): [number, number, number][] {
  const cells: [number, number, number][] = [];
  data.cohorts.forEach((cohort, row) => {
    cohort.retention.forEach((share, k) => {
      if (k > 0) cells.push([k - 1, row, share]);
    });
  });
  return cells;
}

/**
 * Cohort retention as a heat map: a row per first-purchase month (oldest on top), a column per
 * month after it, colour and label the share of the cohort that bought in that month.
 */
export function cohortHeatmapOption(
  data: SeriesData,
  text: ChartText,
  { cellLabels = true }: { cellLabels?: boolean } = {},
): DashboardChartOption {
  const cells = cohortCells(data);
  const columns = Math.max(0, ...data.cohorts.map((c) => c.retention.length - 1));
  const max = Math.max(0.01, ...cells.map((c) => c[2]));
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params;
        const [k, row, share] = (item?.value ?? []) as [number, number, number];
        const cohort = data.cohorts[row];
        if (!cohort) return "";
        return [
          `${text.cohort}: ${text.monthLabel(cohort.month)} (${text.count(cohort.customers)} ${text.customers})`,
          `${text.monthsAfter}: ${k + 1}`,
          text.percent(share),
        ].join("<br/>");
      },
    },
    xAxis: {
      type: "category",
      data: Array.from({ length: columns }, (_, i) => String(i + 1)),
      name: text.monthsAfter,
      nameLocation: "middle",
      nameGap: 24,
      splitArea: { show: true },
    },
    yAxis: {
      type: "category",
      inverse: true,
      data: data.cohorts.map((c) => text.monthLabel(c.month)),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#f2fbf6", "#18a058", "#0c5a32"] },
      formatter: (v) => text.percent(Number(v)),
    },
    series: [
      {
        type: "heatmap",
        data: cells,
        label: {
          // Percentages in the cells only where they fit: up to a year of columns, not on a phone.
          show: cellLabels && columns <= 12,
          fontSize: 10,
          formatter: (p) => text.percent(((p.value ?? []) as number[])[2] ?? 0),
        },
      },
    ],
  };
}
