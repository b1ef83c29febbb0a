import { ApolloClient, ApolloLink, InMemoryCache, Observable } from "@apollo/client/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { NDialogProvider, NMessageProvider } from "naive-ui";
import { afterEach, describe, expect, it } from "vitest";
import { h } from "vue";
import { i18n, setLocale } from "../../i18n";
import ValueSettingsForm from "./ValueSettingsForm.vue";

const SETTINGS = {
  __typename: "ValueSettings",
  model: "BGNBD",
  horizonMonths: 12,
  monthlyDiscountRate: "0.01",
  defaultMarginRate: "0.3",
  cacSource: "CHANNEL",
  fixedCac: null,
  timeUnit: "WEEK",
  updatedAt: null,
  updatedBy: null,
};

type UserErrorAnswer = { field: string | null; code: string; message: string };

/** Mounts the form against a fake API whose updateValueSettings answers with `refusals`. */
async function mountForm(refusals: UserErrorAnswer[]) {
  const mutations: Record<string, unknown>[] = [];
  const link = new ApolloLink((operation) =>
    Observable.of(
      operation.operationName === "UpdateValueSettings"
        ? (mutations.push(operation.variables),
          {
            data: {
              updateValueSettings: {
                __typename: "UpdateValueSettingsPayload",
                settings: SETTINGS,
                userErrors: refusals.map((e) => ({ __typename: "UserError", ...e })),
              },
            },
          })
        : { data: { valueSettings: SETTINGS } },
    ),
  );
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const wrapper = mount(
    {
      render: () =>
        h(NMessageProvider, () =>
          h(NDialogProvider, () => h(ValueSettingsForm, { canManage: true })),
        ),
    },
    {
      global: { plugins: [i18n], provide: { [DefaultApolloClient]: client } },
      attachTo: document.body,
    },
  );
  await flushPromises();
  return { wrapper, mutations };
}

afterEach(() => setLocale("en"));

describe("ValueSettingsForm", () => {
  it("names an out-of-range horizon in Chinese, keeps the value and sends nothing", async () => {
    setLocale("zh-TW");
    const { wrapper, mutations } = await mountForm([]);
    const horizon = wrapper.find('[data-testid="settings-horizon"] input');
    await horizon.setValue("0");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(wrapper.find('[data-testid="settings-horizon-item"]').text()).toContain(
      "預測期間須介於 1 到 120 個月。",
    );
    expect((horizon.element as HTMLInputElement).value).toBe("0");
    expect(mutations).toEqual([]);
    wrapper.unmount();
  });

  it("refuses a discount rate of 5 before sending it, with the bounds", async () => {
    const { wrapper, mutations } = await mountForm([]);
    await wrapper.find('[data-testid="settings-discount"] input').setValue("5");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(wrapper.text()).toContain("The rate must be from 0 to 1: 0.05 is 5%.");
    expect(mutations).toEqual([]);
    wrapper.unmount();
  });

  it("shows the API's refusals translated by code, never its English message", async () => {
    setLocale("zh-TW");
    const { wrapper, mutations } = await mountForm([
      {
        field: "input.monthlyDiscountRate",
        code: "RATE_OUT_OF_RANGE",
        message: 'monthlyDiscountRate must be from 0 to 1 (got "0.02")',
      },
      { field: null, code: "SOMETHING_NEW", message: "an English message" },
    ]);
    await wrapper.find('[data-testid="settings-discount"] input').setValue("0.02");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(mutations).toEqual([{ input: { monthlyDiscountRate: "0.02" } }]);
    const alert = wrapper.find('[data-testid="settings-errors"]').text();
    expect(alert).toContain("月折現率: 比率須介於 0 到 1：0.05 代表 5%。");
    expect(alert).toContain("伺服器拒絕了這項變更（SOMETHING_NEW）。");
    expect(alert).not.toContain("must be");
    expect(alert).not.toContain("English");
    wrapper.unmount();
  });
});
