import { describe, expect, it } from "vitest";
import { differenceChartOption, groupsChartOption, type CampaignChartText } from "./campaignCharts";

const text: CampaignChartText = {
  treatment: "Treatment",
  control: "Control",
  difference: "Difference",
  band: "Interval",
  yAxis: "Per customer",
  day: (iso) => iso.slice(5, 10),
  money: (v) => `$${v.toFixed(2)}`,
};
const points = [
  {
    at: "2026-03-02T00:00:00Z",
    treatmentMean: 1,
    controlMean: 1,
    estimate: null,
    sequentialCi: null,
  },
  {
    at: "2026-03-03T00:00:00Z",
    treatmentMean: 5.123,
    controlMean: 3,
    estimate: 2.1,
    sequentialCi: [-1.5, 5.7],
  },
];

type Series = { name: string; data: unknown[]; stack?: string };

describe("campaign charts", () => {
  it("draws both groups per day", () => {
    const option = groupsChartOption(points, text);
    const series = option.series as Series[];
    expect(series.map((s) => s.name)).toEqual(["Treatment", "Control"]);
    expect(series[0]!.data).toEqual([1, 5.12]);
    expect((option.xAxis as { data: string[] }).data).toEqual(["03-02", "03-03"]);
  });

  it("stacks the interval's height on its low end, leaving gaps without an estimate", () => {
    const series = differenceChartOption(points, text).series as Series[];
    const [low, band, difference] = series;
    expect(low!.data).toEqual(["-", -1.5]);
    expect(band!.data).toEqual(["-", 7.2]);
    expect(low!.stack).toBe("band");
    expect(band!.stack).toBe("band");
    expect(difference!.data).toEqual(["-", 2.1]);
    expect(series[3]!.data).toEqual([0, 0]);
  });
});
