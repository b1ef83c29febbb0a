import type { ComposeOption } from "echarts/core";
import type { BarSeriesOption, LineSeriesOption } from "echarts/charts";
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from "echarts/components";

/** The option type of the charts registered in ./echarts.ts. */
export type ValueChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

/** `HoldoutTrackingPoint`: cumulative repeat purchases up to the end of a holdout period. */
export interface TrackingPoint {
  period: number;
  actual: number;
  predicted: number;
}

/** `HoldoutCalibrationPoint`: mean holdout purchases of customers with a calibration frequency. */
export interface CalibrationPoint {
  purchases: number;
  actual: number;
  predicted: number;
  customers: number;
}

/** The API's calibration series stops at this frequency: its last bucket is "7 or more". */
export const CALIBRATION_TOP_BUCKET = 7;

export interface TrackingSeries {
  periods: number[];
  actual: number[];
  predicted: number[];
}

export interface CalibrationSeries {
  /** "0", "1", … "7+". */
  labels: string[];
  actual: number[];
  predicted: number[];
  customers: number[];
}

/**
 * The tracking chart's series: periods in order with their cumulative actual and predicted
 * repeat purchases.
 *
 * @param points - `HoldoutDiagnosticsNode.tracking`, in any order.
 * @returns parallel arrays sorted by period (the input is not changed).
 * @example
 * trackingSeries([{ period: 2, actual: 9, predicted: 8.5 }, { period: 1, actual: 4, predicted: 4.2 }])
 * // { periods: [1, 2], actual: [4, 9], predicted: [4.2, 8.5] }
 */
export function trackingSeries(points: readonly TrackingPoint[]): TrackingSeries {
  const sorted = [...points].sort((a, b) => a.period - b.period);
  return {
    periods: sorted.map((point) => point.period),
    actual: sorted.map((point) => point.actual),
    predicted: sorted.map((point) => point.predicted),
  };
}

/**
 * The calibration chart's series: one bucket per number of repeat purchases in the
 * calibration period, the top bucket labelled "7+".
 *
 * @param points - `HoldoutDiagnosticsNode.calibration`, in any order.
 * @returns parallel arrays sorted by purchases (the input is not changed).
 * @example
 * calibrationSeries([{ purchases: 7, actual: 5.1, predicted: 4.8, customers: 40 }]).labels // ["7+"]
 */
export function calibrationSeries(points: readonly CalibrationPoint[]): CalibrationSeries {
  const sorted = [...points].sort((a, b) => a.purchases - b.purchases);
  return {
    labels: sorted.map((point) =>
      point.purchases >= CALIBRATION_TOP_BUCKET ? `${point.purchases}+` : String(point.purchases),
    ),
    actual: sorted.map((point) => point.actual),
    predicted: sorted.map((point) => point.predicted),
    customers: sorted.map((point) => point.customers),
  };
}

/**
 * What a holdout tracking period is called: the API uses weeks (7 days) or calendar months.
 *
 * @param periodDays - `HoldoutDiagnosticsNode.periodDays`.
 * @returns "week", "month" (28–31 days) or "period" for anything else.
 */
export function trackingPeriodUnit(periodDays: number): "week" | "month" | "period" {
  if (periodDays === 7) return "week";
  if (periodDays >= 28 && periodDays <= 31) return "month";
  return "period";
}

/** Translated words and number formatting the chart options need. */
export interface ChartText {
  actual: string;
  predicted: string;
  xAxis: string;
  yAxis: string;
  /** Formats values in tooltips and on the value axis. */
  number: (value: number) => string;
}

const ACTUAL_COLOR = "#18a058";
const PREDICTED_COLOR = "#2080f0";

function tooltipValue(value: unknown, format: (value: number) => string): string {
  return typeof value === "number" ? format(value) : String(value ?? "—");
}

/**
 * ECharts option of the holdout tracking chart: cumulative actual (solid) and predicted
 * (dashed) repeat purchases by period.
 *
 * @param series - from trackingSeries.
 * @param periodLabels - one x-axis label per period, e.g. "Week 3".
 * @param text - series names, axis names and the number format.
 * @returns the chart option.
 */
export function trackingChartOption(
  series: TrackingSeries,
  periodLabels: readonly string[],
  text: ChartText,
): ValueChartOption {
  return {
    color: [ACTUAL_COLOR, PREDICTED_COLOR],
    grid: { left: 16, right: 24, top: 48, bottom: 40, containLabel: true },
    legend: { top: 0, data: [text.actual, text.predicted] },
    tooltip: {
      trigger: "axis",
      valueFormatter: (value) => tooltipValue(value, text.number),
    },
    xAxis: {
      type: "category",
      data: [...periodLabels],
      name: text.xAxis,
      nameLocation: "middle",
      nameGap: 28,
      boundaryGap: false,
    },
    yAxis: {
      type: "value",
      name: text.yAxis,
      nameTextStyle: { align: "left" },
      axisLabel: { formatter: (value: number) => text.number(value) },
    },
    // A good model's two lines lie on top of each other: actual is drawn wide underneath and
    // predicted thin and dashed over it, so both stay visible where they coincide.
    series: [
      {
        type: "line",
        name: text.actual,
        data: series.actual,
        symbolSize: 7,
        lineStyle: { width: 5, opacity: 0.75 },
      },
      {
        type: "line",
        name: text.predicted,
        data: series.predicted,
        showSymbol: false,
        lineStyle: { type: "dashed", width: 2 },
      },
    ],
  };
}

/**
 * ECharts option of the calibration chart: mean actual holdout purchases as bars and the
 * model's mean prediction as a line, per number of calibration purchases; the tooltip names
 * how many customers each bar averages.
 *
 * @param series - from calibrationSeries.
 * @param text - series names, axis names and the number format.
 * @param customersText - e.g. n → "1,204 customers".
 * @returns the chart option.
 */
export function calibrationChartOption(
  series: CalibrationSeries,
  text: ChartText,
  customersText: (customers: number) => string,
): ValueChartOption {
  return {
    color: [ACTUAL_COLOR, PREDICTED_COLOR],
    grid: { left: 16, right: 24, top: 48, bottom: 40, containLabel: true },
    legend: { top: 0, data: [text.actual, text.predicted] },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? 0;
        const lines = list.map(
          (item) =>
            `${typeof item.marker === "string" ? item.marker : ""}${item.seriesName ?? ""}: ${tooltipValue(item.value, text.number)}`,
        );
        return [
          `${text.xAxis}: ${series.labels[index] ?? ""}`,
          customersText(series.customers[index] ?? 0),
          ...lines,
        ].join("<br/>");
      },
    },
    xAxis: {
      type: "category",
      data: [...series.labels],
      name: text.xAxis,
      nameLocation: "middle",
      nameGap: 28,
    },
    yAxis: {
      type: "value",
      name: text.yAxis,
      nameTextStyle: { align: "left" },
      axisLabel: { formatter: (value: number) => text.number(value) },
    },
    series: [
      { type: "bar", name: text.actual, data: series.actual, barMaxWidth: 36 },
      {
        type: "line",
        name: text.predicted,
        data: series.predicted,
        symbolSize: 7,
        lineStyle: { type: "dashed", width: 2 },
      },
    ],
  };
}
