import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { defineComponent, h, watch } from "vue";
import { createMemoryHistory, createRouter, type Router } from "vue-router";
import {
  enumParam,
  intParam,
  listParam,
  pagerParams,
  textParam,
  useRouteState,
  type RouteState,
} from "./useRouteState";

const codecs = () => ({
  q: textParam(),
  sort: enumParam(["name", "createdAt"] as const, "createdAt"),
  c: listParam(),
  ...pagerParams(50),
});
type State = RouteState<ReturnType<typeof codecs>>;

/** A list page using the composable, and a second page to navigate to, on a memory router. */
async function setup(path: string, onState?: (state: State) => void) {
  let state!: State;
  const List = defineComponent({
    name: "List",
    setup() {
      state = useRouteState(codecs());
      onState?.(state);
      return () => h("div");
    },
  });
  const router: Router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: "/list", name: "list", component: List },
      { path: "/other", name: "other", component: { render: () => h("div") } },
    ],
  });
  await router.push(path);
  await router.isReady();
  // Mounted outside a RouterView, so it stays alive on /other, as the admin layout keeps the
  // customer list alive (KeepAlive) behind a customer page.
  const wrapper = mount(
    { render: () => h("div", [h(router.options.routes[0]!.component as never)]) },
    { global: { plugins: [router] } },
  );
  await flushPromises();
  return { state, router, wrapper };
}

describe("useRouteState", () => {
  it("reads the view from the address, with defaults for what is missing or invalid", async () => {
    const { state } = await setup("/list?q=ada&sort=name&c=web&c=shop&after=c1&after=c2&size=x");
    expect(state.q.value).toBe("ada");
    expect(state.sort.value).toBe("name");
    expect(state.c.value).toEqual(["web", "shop"]);
    expect(state.after.value).toEqual(["c1", "c2"]);
    expect(state.size.value).toBe(50);
    const other = await setup("/list?sort=bogus&size=9999");
    expect(other.state.sort.value).toBe("createdAt");
    expect(other.state.size.value).toBe(50);
  });

  it("writes changes of one tick as one history entry, leaving defaults out", async () => {
    const { state, router } = await setup("/list?after=c1");
    state.sort.value = "name";
    state.after.value = [];
    state.c.value = ["web"];
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/list?sort=name&c=web");
    // One step Back returns to the view before the change, all of it.
    router.back();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/list?after=c1");
    expect(state.sort.value).toBe("createdAt");
    expect(state.c.value).toEqual([]);
    expect(state.after.value).toEqual(["c1"]);
    router.forward();
    await flushPromises();
    expect(state.sort.value).toBe("name");
    expect(state.c.value).toEqual(["web"]);
  });

  it("replaces the entry for typed text, so Back does not step through letters", async () => {
    const { state, router } = await setup("/list");
    await router.push("/list?sort=name");
    await flushPromises();
    state.q.value = "a";
    await flushPromises();
    state.q.value = "ad";
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/list?sort=name&q=ad");
    router.back();
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/list");
  });

  it("keeps its state while another page is shown, and writes nothing there", async () => {
    const { state, router } = await setup("/list?q=ada");
    await router.push("/other?q=zzz");
    await flushPromises();
    expect(state.q.value).toBe("ada");
    state.sort.value = "name";
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/other?q=zzz");
  });

  it("applies a visited address whole: resets derived from it are not written", async () => {
    // As usePagedQuery does: a filter change goes back to the first page (sync).
    const { state, router } = await setup("/list", (s) =>
      watch(
        () => s.c.value.join(),
        () => {
          s.after.value = [];
        },
        { flush: "sync" },
      ),
    );
    state.c.value = ["web"];
    await flushPromises();
    await router.push("/list?c=web&after=c9");
    await flushPromises();
    state.c.value = ["shop"];
    await flushPromises();
    // the filter change dropped the cursor in the same entry
    expect(router.currentRoute.value.fullPath).toBe("/list?c=shop");
    router.back();
    await flushPromises();
    // Back brings the cursor back with its filter, not reset by the watcher
    expect(router.currentRoute.value.fullPath).toBe("/list?c=web&after=c9");
    expect(state.after.value).toEqual(["c9"]);
  });

  it("parses whole numbers in bounds only", () => {
    const size = intParam(50, 1, 250);
    expect(size.parse("100")).toBe(100);
    expect(size.parse(["25", "50"])).toBe(25);
    for (const bad of ["0", "251", "1.5", "", "abc", undefined, null]) {
      expect(size.parse(bad)).toBe(50);
    }
    expect(size.format(50)).toBeNull();
  });
});

describe("range parameters", () => {
  it("write a date range as local days and read it back", async () => {
    const { dayRangeParam } = await import("./useRouteState");
    const codec = dayRangeParam();
    const range: [number, number] = [
      new Date(2026, 0, 1).getTime(),
      new Date(2026, 0, 31).getTime(),
    ];
    expect(codec.format(range)).toBe("2026-01-01..2026-01-31");
    expect(codec.parse("2026-01-01..2026-01-31")).toEqual(range);
    for (const bad of ["2026-02-30..2026-03-01", "2026-03-01..2026-01-01", "x", "", "a..b..c"]) {
      expect(codec.parse(bad)).toBeNull();
    }
  });

  it("read a number range within its bounds only", async () => {
    const { numberRangeParam } = await import("./useRouteState");
    const codec = numberRangeParam(0, 100);
    expect(codec.parse("20..80")).toEqual([20, 80]);
    expect(codec.parse("0.5..1")).toEqual([0.5, 1]);
    expect(codec.format([20, 80])).toBe("20..80");
    expect(codec.format([0, 100])).toBeNull();
    for (const bad of ["80..20", "0..200", "-1..50", "a..b", "50", "1e1..20"]) {
      expect(codec.parse(bad)).toEqual([0, 100]);
    }
  });
});
