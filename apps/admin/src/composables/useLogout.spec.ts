import {
  ApolloClient,
  ApolloLink,
  InMemoryCache,
  Observable,
  type FetchResult,
} from "@apollo/client/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { beforeEach, describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { createMemoryHistory, createRouter } from "vue-router";
import { TOKEN_STORAGE_KEY } from "../auth/tokenStorage";
import { useSessionStore } from "../stores/session";
import { useLogout } from "./useLogout";

interface Sent {
  operationName: string;
  authorization: string | undefined;
}

/** Mounts a component holding useLogout against a link that records what reaches the API. */
async function mountWithLogout(answer: () => Observable<FetchResult>) {
  const sent: Sent[] = [];
  const link = new ApolloLink((operation) => {
    const headers = operation.getContext().headers as Record<string, string> | undefined;
    sent.push({ operationName: operation.operationName, authorization: headers?.Authorization });
    return answer();
  });
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const Blank = { render: () => h("div") };
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/login", name: "login", component: Blank },
      { path: "/customers", name: "customers", component: Blank },
    ],
  });
  await router.push("/customers");
  await router.isReady();
  const pinia = createPinia();
  setActivePinia(pinia);
  useSessionStore(pinia).signIn("tok-abc");
  let logout: () => Promise<void> = async () => undefined;
  const Holder = defineComponent({
    setup() {
      logout = useLogout();
      return () => h("div");
    },
  });
  mount(Holder, {
    global: { plugins: [pinia, router], provide: { [DefaultApolloClient]: client } },
  });
  return { sent, router, logout: () => logout() };
}

beforeEach(() => localStorage.clear());

describe("useLogout", () => {
  it("ends the session on the server with the token, then forgets it and goes to login", async () => {
    const { sent, router, logout } = await mountWithLogout(() =>
      Observable.of({ data: { logout: { __typename: "LogoutPayload", loggedOut: true } } }),
    );
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBe("tok-abc");
    await logout();
    await flushPromises();
    expect(sent).toEqual([{ operationName: "Logout", authorization: "Bearer tok-abc" }]);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(router.currentRoute.value.name).toBe("login");
  });

  it("signs out here even when the server refuses or cannot be reached", async () => {
    const { sent, router, logout } = await mountWithLogout(
      () => new Observable((observer) => observer.error(new Error("network down"))),
    );
    await logout();
    await flushPromises();
    expect(sent).toHaveLength(1);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(router.currentRoute.value.name).toBe("login");
  });
});
