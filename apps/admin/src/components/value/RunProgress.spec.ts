import { mount } from "@vue/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { ScoringRunFieldsFragment } from "../../gql/graphql";
import { i18n, setLocale } from "../../i18n";
import RunProgress from "./RunProgress.vue";

function run(overrides: Partial<ScoringRunFieldsFragment>): ScoringRunFieldsFragment {
  return {
    __typename: "ScoringRun",
    id: "12",
    status: "RUNNING",
    phase: "aggregating",
    progress: 0.3,
    customersScored: 0,
    customersTotal: 100000,
    isCurrent: false,
    createdAt: "2024-06-30T10:00:00.000Z",
    startedAt: "2024-06-30T10:00:01.000Z",
    finishedAt: null,
    error: null,
    triggeredBy: "ana@example.com",
    totalClv: null,
    settings: { __typename: "ValueSettings", model: "BGNBD", horizonMonths: 12 },
    ...overrides,
  };
}

const mountProgress = (props: { run: ScoringRunFieldsFragment; pollError?: Error | null }) =>
  mount(RunProgress, { props, global: { plugins: [i18n] } });

afterEach(() => setLocale("en"));

describe("RunProgress", () => {
  it("shows the phase, the percentage and the customers scored so far", () => {
    setLocale("en");
    const wrapper = mountProgress({
      run: run({ phase: "scoring", progress: 0.734, customersScored: 51234 }),
    });
    const text = wrapper.text();
    expect(text).toContain("Scoring run #12");
    expect(text).toContain("Running");
    expect(wrapper.get('[data-testid="run-phase"]').text()).toBe("Scoring customers");
    expect(text).toContain("73%");
    expect(text).toContain("51,234 of 100,000 customers");
    expect(text).toContain("Started by ana@example.com");
  });

  it("shows a phase it does not know as the API names it", () => {
    const wrapper = mountProgress({ run: run({ phase: "exporting" }) });
    expect(wrapper.get('[data-testid="run-phase"]').text()).toBe("exporting");
  });

  it("says so when a poll failed, and keeps the last known state", () => {
    const wrapper = mountProgress({
      run: run({ progress: 0.45, phase: "fitting" }),
      pollError: new Error("Failed to fetch"),
    });
    expect(wrapper.text()).toContain("Could not refresh the progress (Failed to fetch)");
    expect(wrapper.text()).toContain("45%");
  });

  it("counts customers without a total before it is known", () => {
    setLocale("zh-TW");
    const wrapper = mountProgress({
      run: run({ status: "QUEUED", phase: "queued", progress: 0, customersTotal: null }),
    });
    expect(wrapper.text()).toContain("等待開始");
    expect(wrapper.text()).toContain("0 位客戶");
  });
});
