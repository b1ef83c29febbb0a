import type { ValueChartOption } from "../value/chartSeries";

/** One look at the campaign (Campaign.timeline), currency units per customer. */
export interface TimelinePoint {
  at: string;
  treatmentMean: number;
  controlMean: number;
  estimate?: number | null;
  sequentialCi?: readonly number[] | null;
}

export interface CampaignChartText {
  treatment: string;
  control: string;
  difference: string;
  band: string;
  yAxis: string;
  /** The x-axis label of a point, e.g. its day. */
  day: (iso: string) => string;
  money: (value: number) => string;
}

const TREATMENT_COLOR = "#18a058";
const CONTROL_COLOR = "#8a8f98";
const DIFFERENCE_COLOR = "#2080f0";

/** Rounds for display in the tooltip and keeps ECharts from drawing float noise. */
const cents = (value: number) => Math.round(value * 100) / 100;

/**
 * The two series of the groups' chart: revenue per customer so far, treatment and control.
 */
export function groupsChartOption(
  points: readonly TimelinePoint[],
  text: CampaignChartText,
): ValueChartOption {
  return {
    color: [TREATMENT_COLOR, CONTROL_COLOR],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, data: [text.treatment, text.control] },
    tooltip: {
      trigger: "axis",
      valueFormatter: (value) => (typeof value === "number" ? text.money(value) : String(value)),
    },
    xAxis: { type: "category", boundaryGap: false, data: points.map((p) => text.day(p.at)) },
    yAxis: {
      type: "value",
      name: text.yAxis,
      nameTextStyle: { align: "left" },
      axisLabel: { formatter: (value: number) => text.money(value) },
    },
    series: [
      {
        type: "line",
        name: text.treatment,
        data: points.map((p) => cents(p.treatmentMean)),
        symbolSize: 6,
        lineStyle: { width: 3 },
      },
      {
        type: "line",
        name: text.control,
        data: points.map((p) => cents(p.controlMean)),
        symbolSize: 6,
        lineStyle: { width: 3, type: "dashed" },
      },
    ],
  };
}

/**
 * The difference chart: treatment − control with its always-valid interval drawn as a band
 * (a transparent line at the low end with the band's height stacked on it), and zero marked.
 * Points before both groups have 2 customers have no estimate and are left as gaps.
 */
export function differenceChartOption(
  points: readonly TimelinePoint[],
  text: CampaignChartText,
): ValueChartOption {
  const low = points.map((p) => (p.sequentialCi?.length === 2 ? cents(p.sequentialCi[0]!) : "-"));
  const height = points.map((p) =>
    p.sequentialCi?.length === 2 ? cents(p.sequentialCi[1]! - p.sequentialCi[0]!) : "-",
  );
  const estimate = points.map((p) =>
    p.estimate === null || p.estimate === undefined ? "-" : cents(p.estimate),
  );
  return {
    color: [DIFFERENCE_COLOR],
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    legend: { top: 0, data: [text.difference, text.band] },
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const list = Array.isArray(params) ? params : [params];
        const index = list[0]?.dataIndex ?? 0;
        const p = points[index];
        if (!p) return "";
        const lines = [text.day(p.at)];
        if (p.estimate !== null && p.estimate !== undefined) {
          lines.push(`${text.difference}: ${text.money(p.estimate)}`);
        }
        if (p.sequentialCi?.length === 2) {
          lines.push(
            `${text.band}: ${text.money(p.sequentialCi[0]!)} – ${text.money(p.sequentialCi[1]!)}`,
          );
        }
        return lines.join("<br/>");
      },
    },
    xAxis: { type: "category", boundaryGap: false, data: points.map((p) => text.day(p.at)) },
    yAxis: {
      type: "value",
      name: text.yAxis,
      nameTextStyle: { align: "left" },
      axisLabel: { formatter: (value: number) => text.money(value) },
    },
    series: [
      {
        type: "line",
        name: "low",
        data: low,
        stack: "band",
        symbol: "none",
        lineStyle: { opacity: 0 },
        silent: true,
        tooltip: { show: false },
      },
      {
        type: "line",
        name: text.band,
        data: height,
        stack: "band",
        symbol: "none",
        lineStyle: { opacity: 0 },
        areaStyle: { color: DIFFERENCE_COLOR, opacity: 0.18 },
        itemStyle: { color: "rgba(32, 128, 240, 0.3)" },
        silent: true,
      },
      {
        type: "line",
        name: text.difference,
        data: estimate,
        symbolSize: 6,
        lineStyle: { width: 3 },
      },
      {
        type: "line",
        name: "zero",
        data: points.map(() => 0),
        symbol: "none",
        silent: true,
        lineStyle: { color: "#d03050", type: "dashed", width: 1 },
        tooltip: { show: false },
      },
    ],
  };
}
