import { describe, expect, it } from "vitest";
import {
  calibrationChartOption,
  calibrationSeries,
  trackingChartOption,
  trackingPeriodUnit,
  trackingSeries,
  type ChartText,
} from "./chartSeries";

// As the API sends them (HoldoutDiagnosticsNode), out of order on purpose.
const TRACKING = [
  { period: 3, actual: 310, predicted: 298.4 },
  { period: 1, actual: 95, predicted: 101.2 },
  { period: 2, actual: 201, predicted: 199.9 },
];
const CALIBRATION = [
  { purchases: 1, actual: 0.61, predicted: 0.58, customers: 800 },
  { purchases: 0, actual: 0.12, predicted: 0.14, customers: 2400 },
  { purchases: 7, actual: 4.9, predicted: 5.3, customers: 35 },
];
const TEXT: ChartText = {
  actual: "Actual",
  predicted: "Predicted",
  xAxis: "Repeat purchases",
  yAxis: "Mean purchases",
  number: (value) => value.toFixed(1),
};

describe("trackingSeries", () => {
  it("orders the periods and keeps actual and predicted side by side", () => {
    expect(trackingSeries(TRACKING)).toEqual({
      periods: [1, 2, 3],
      actual: [95, 201, 310],
      predicted: [101.2, 199.9, 298.4],
    });
  });

  it("is empty for an empty holdout and does not reorder its input", () => {
    expect(trackingSeries([])).toEqual({ periods: [], actual: [], predicted: [] });
    const input = Object.freeze([...TRACKING]);
    trackingSeries(input);
    expect(input.map((point) => point.period)).toEqual([3, 1, 2]);
  });
});

describe("calibrationSeries", () => {
  it("orders the buckets and labels the top one as 'or more'", () => {
    expect(calibrationSeries(CALIBRATION)).toEqual({
      labels: ["0", "1", "7+"],
      actual: [0.12, 0.61, 4.9],
      predicted: [0.14, 0.58, 5.3],
      customers: [2400, 800, 35],
    });
  });
});

describe("trackingPeriodUnit", () => {
  it("names weeks and months, and anything else a period", () => {
    expect(trackingPeriodUnit(7)).toBe("week");
    expect(trackingPeriodUnit(30.4375)).toBe("month");
    expect(trackingPeriodUnit(14)).toBe("period");
  });
});

describe("trackingChartOption", () => {
  it("draws actual solid and predicted dashed over the period labels", () => {
    const option = trackingChartOption(trackingSeries(TRACKING), ["W1", "W2", "W3"], TEXT);
    expect(option.xAxis).toMatchObject({ type: "category", data: ["W1", "W2", "W3"] });
    expect(option.series).toEqual([
      expect.objectContaining({ type: "line", name: "Actual", data: [95, 201, 310] }),
      expect.objectContaining({
        type: "line",
        name: "Predicted",
        data: [101.2, 199.9, 298.4],
        lineStyle: { type: "dashed", width: 2 },
      }),
    ]);
  });
});

describe("calibrationChartOption", () => {
  it("draws actual as bars and predicted as a line", () => {
    const option = calibrationChartOption(calibrationSeries(CALIBRATION), TEXT, (n) => `${n} c`);
    expect(option.series).toEqual([
      expect.objectContaining({ type: "bar", name: "Actual", data: [0.12, 0.61, 4.9] }),
      expect.objectContaining({ type: "line", name: "Predicted", data: [0.14, 0.58, 5.3] }),
    ]);
  });

  it("names the bucket and its number of customers in the tooltip", () => {
    const option = calibrationChartOption(calibrationSeries(CALIBRATION), TEXT, (n) => `${n} c`);
    const tooltip = option.tooltip as { formatter: (params: unknown) => string };
    const text = tooltip.formatter([
      { dataIndex: 2, seriesName: "Actual", value: 4.9, marker: "" },
      { dataIndex: 2, seriesName: "Predicted", value: 5.3, marker: "" },
    ]);
    expect(text).toBe("Repeat purchases: 7+<br/>35 c<br/>Actual: 4.9<br/>Predicted: 5.3");
  });
});
