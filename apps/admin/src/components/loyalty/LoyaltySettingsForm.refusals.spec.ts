import { ApolloClient, ApolloLink, InMemoryCache, Observable } from "@apollo/client/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { NDialogProvider, NMessageProvider } from "naive-ui";
import { afterEach, describe, expect, it } from "vitest";
import { h } from "vue";
import { i18n, setLocale } from "../../i18n";
import LoyaltySettingsForm from "./LoyaltySettingsForm.vue";
import type { LoyaltySettingsValue } from "./loyaltySettingsForm";

const SETTINGS: LoyaltySettingsValue = {
  earnBasis: "AMOUNT",
  pointsPerUnit: "1",
  rounding: "FLOOR",
  tierMultipliers: [{ tier: "high", multiplier: "2" }],
  perOrderCap: null,
  periodCap: null,
  pendingDays: 30,
  expiry: { kind: "ROLLING", days: 365 },
  negativeBalance: "CAP_AT_ZERO",
  costPerPointMinor: "1",
  bonusEvents: [{ event: "sign_up", points: 100 }],
};

type Refusal = { field: string | null; code: string; message: string };

/** Mounts the form against a fake API whose updateLoyaltySettings answers with `refusals`. */
async function mountForm(refusals: Refusal[]) {
  const sent: Record<string, unknown>[] = [];
  const link = new ApolloLink((operation) => {
    sent.push(operation.variables);
    return Observable.of({
      data: {
        updateLoyaltySettings: {
          __typename: "LoyaltySettingsPayload",
          settings: null,
          userErrors: refusals.map((r) => ({ __typename: "UserError", ...r })),
        },
      },
    });
  });
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const wrapper = mount(
    {
      render: () =>
        h(NMessageProvider, () =>
          h(NDialogProvider, () =>
            h(LoyaltySettingsForm, {
              settings: SETTINGS,
              tiers: [
                { key: "high", name: "High value" },
                { key: "low", name: "Low value" },
              ],
              editable: true,
            }),
          ),
        ),
    },
    {
      global: { plugins: [i18n], provide: { [DefaultApolloClient]: client } },
      attachTo: document.body,
    },
  );
  await flushPromises();
  return { wrapper, sent };
}

afterEach(() => setLocale("en"));

// Mounting naive-ui is slow on a busy machine: a generous timeout, no timing asserted.
describe("LoyaltySettingsForm", { timeout: 30_000 }, () => {
  it("names a pending window out of bounds in Chinese and sends nothing", async () => {
    setLocale("zh-TW");
    const { wrapper, sent } = await mountForm([]);
    await wrapper.find('[data-testid="loyalty-pending-days"] input').setValue("400");
    await wrapper.find('[data-testid="loyalty-pending-days"] input').trigger("blur");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(wrapper.text()).toContain("0 至 365 的整數。");
    expect(
      wrapper.find('[data-testid="loyalty-settings-save"]').attributes("disabled"),
    ).toBeDefined();
    expect(sent).toEqual([]);
    wrapper.unmount();
  });

  it("refuses a zero multiplier under its tier before sending", async () => {
    const { wrapper, sent } = await mountForm([]);
    await wrapper.find('[data-testid="loyalty-multiplier-low"] input').setValue("0");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(wrapper.text()).toContain("Must be above 0.");
    expect(sent).toEqual([]);
    wrapper.unmount();
  });

  it("sends the settings and shows the API's refusals translated by code", async () => {
    setLocale("zh-TW");
    const { wrapper, sent } = await mountForm([
      { field: "input.expiry.days", code: "DAYS_OUT_OF_RANGE", message: "an English message" },
      { field: null, code: "SOMETHING_NEW", message: "another English message" },
    ]);
    await wrapper.find('[data-testid="loyalty-points-per-unit"] input').setValue("1.5");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      input: {
        pointsPerUnit: "1.5",
        tierMultipliers: [{ tier: "high", multiplier: "2" }],
        expiry: { kind: "ROLLING", days: 365 },
      },
    });
    const text = wrapper.text();
    expect(text).toContain("1 至 3650 的整數。");
    expect(text).toContain("伺服器拒絕了這項操作（SOMETHING_NEW）。");
    expect(text).not.toContain("English");
    wrapper.unmount();
  });
});
