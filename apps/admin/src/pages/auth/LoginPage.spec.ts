import {
  ApolloClient,
  ApolloLink,
  InMemoryCache,
  Observable,
  type FetchResult,
} from "@apollo/client/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { NDialogProvider, NMessageProvider } from "naive-ui";
import { createPinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import { h } from "vue";
import { createMemoryHistory, createRouter } from "vue-router";
import { TOKEN_STORAGE_KEY } from "../../auth/tokenStorage";
import { i18n, setLocale } from "../../i18n";
import LoginPage from "./LoginPage.vue";

type LoginAnswer = {
  token: string | null;
  userErrors: { field: string | null; code: string; message: string }[];
};

/** Mounts the login page against a fake API that answers `login` with `answer`. */
async function mountLogin(answer: LoginAnswer, path = "/login") {
  const calls: Record<string, unknown>[] = [];
  const link = new ApolloLink((operation) => {
    calls.push({ ...operation.variables });
    const result: FetchResult = {
      data: {
        login: {
          __typename: "LoginPayload",
          ...answer,
          userErrors: answer.userErrors.map((e) => ({ __typename: "UserError", ...e })),
        },
      },
    };
    return Observable.of(result);
  });
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const Blank = { render: () => h("div") };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/login", name: "login", component: LoginPage },
      { path: "/customers", name: "customers", component: Blank },
      { path: "/customers/:id", name: "customer", component: Blank },
    ],
  });
  await router.push(path);
  await router.isReady();
  const wrapper = mount(
    { render: () => h(NMessageProvider, () => h(NDialogProvider, () => h(LoginPage))) },
    {
      global: {
        plugins: [createPinia(), i18n, router],
        provide: { [DefaultApolloClient]: client },
      },
      attachTo: document.body,
    },
  );
  return { wrapper, router, calls };
}

beforeEach(() => {
  localStorage.clear();
  setLocale("en");
});

describe("LoginPage", () => {
  it("signs in, stores the token and returns to the page that asked for login", async () => {
    const { wrapper, router, calls } = await mountLogin(
      { token: "tok-123", userErrors: [] },
      "/login?redirect=/customers/42",
    );

    await wrapper.find('[data-testid="login-email"] input').setValue(" ada@example.com ");
    await wrapper.find('[data-testid="login-password"] input').setValue("s3cret");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(calls).toEqual([{ email: "ada@example.com", password: "s3cret" }]);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe("tok-123");
    expect(router.currentRoute.value.fullPath).toBe("/customers/42");
    wrapper.unmount();
  });

  it("shows the API's userErrors and stays signed out", async () => {
    const { wrapper, router } = await mountLogin({
      token: null,
      userErrors: [
        { field: null, code: "INVALID_CREDENTIALS", message: "Wrong email or password." },
      ],
    });

    await wrapper.find('[data-testid="login-email"] input').setValue("ada@example.com");
    await wrapper.find('[data-testid="login-password"] input').setValue("nope");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(wrapper.text()).toContain("Wrong email or password.");
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(router.currentRoute.value.name).toBe("login");
    wrapper.unmount();
  });

  it("asks for both fields before calling the API", async () => {
    const { wrapper, calls } = await mountLogin({ token: "unused", userErrors: [] });

    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(calls).toEqual([]);
    expect(wrapper.text()).toContain("Enter your email address.");
    expect(wrapper.text()).toContain("Enter your password.");
    wrapper.unmount();
  });

  it("ignores a redirect to another site", async () => {
    const { wrapper, router } = await mountLogin(
      { token: "tok", userErrors: [] },
      "/login?redirect=//evil.example/x",
    );
    await wrapper.find('[data-testid="login-email"] input').setValue("ada@example.com");
    await wrapper.find('[data-testid="login-password"] input').setValue("pw");
    await wrapper.find("form").trigger("submit");
    await flushPromises();

    expect(router.currentRoute.value.fullPath).toBe("/customers");
    wrapper.unmount();
  });

  it("is labelled in Traditional Chinese when that language is chosen", async () => {
    setLocale("zh-TW");
    const { wrapper } = await mountLogin({ token: null, userErrors: [] });
    expect(wrapper.find('[data-testid="page-title"]').text()).toBe("登入");
    expect(wrapper.find('[data-testid="login-submit"]').text()).toBe("登入");
    wrapper.unmount();
  });
});
