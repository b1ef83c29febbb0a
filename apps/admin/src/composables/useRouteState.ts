import { computed, ref, watch, type Ref, type WritableComputedRef } from "vue";
import { useRoute, useRouter, type LocationQuery, type LocationQueryValue } from "vue-router";

type RawValue = LocationQueryValue | LocationQueryValue[] | undefined;

/**
 * How one piece of list state is written in the URL's query: `format` returns null for the
 * default, which then stays out of the URL, so a plain list has a plain address.
 */
export interface ParamCodec<T> {
  parse(raw: RawValue): T;
  format(value: T): string | string[] | null;
  /**
   * "replace" for state that changes with every keystroke (search text, amounts), so that Back
   * does not step through letters; "push" (the default) for choices: sort, filters, pages.
   */
  history?: "push" | "replace";
}

type ValueOf<C> = C extends ParamCodec<infer T> ? T : never;
export type RouteState<C extends Record<string, ParamCodec<unknown>>> = {
  [K in keyof C]: WritableComputedRef<ValueOf<C[K]>>;
};

function first(raw: RawValue): string | null {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value ?? null;
}

/** Text; "" by default. */
export function textParam(history: "push" | "replace" = "replace"): ParamCodec<string> {
  return { parse: (raw) => first(raw) ?? "", format: (v) => (v === "" ? null : v), history };
}

/** One of `values`; anything else in the URL reads as `fallback`. */
export function enumParam<T extends string>(values: readonly T[], fallback: T): ParamCodec<T> {
  return {
    parse: (raw) => {
      const value = first(raw);
      return values.includes(value as T) ? (value as T) : fallback;
    },
    format: (v) => (v === fallback ? null : v),
  };
}

/** A whole number from `min` to `max`; anything else reads as `fallback`. */
export function intParam(fallback: number, min: number, max: number): ParamCodec<number> {
  return {
    parse: (raw) => {
      const text = first(raw);
      const value = text !== null && /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      return Number.isSafeInteger(value) && value >= min && value <= max ? value : fallback;
    },
    format: (v) => (v === fallback ? null : String(v)),
  };
}

/** A list of strings, repeated in the query (`?c=a&c=b`), in order; empty by default. */
export function listParam(): ParamCodec<string[]> {
  return {
    parse: (raw) =>
      (Array.isArray(raw) ? raw : raw == null ? [] : [raw]).filter(
        (v): v is string => typeof v === "string" && v !== "",
      ),
    format: (v) => (v.length === 0 ? null : v),
  };
}

function sameQuery(a: LocationQuery, b: LocationQuery): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null)) return false;
  }
  return true;
}

/**
 * A page's list state (sort, filters, search, page cursors) kept in the route's query, so that
 * reload, Back/Forward and a shared link show the same view. Each key reads and writes one
 * query parameter through its codec; changes made in one tick become one history entry.
 *
 * Reads follow the route only while it is this page's route: a list kept alive behind a
 * customer page keeps its state instead of reading the customer page's query. While the route
 * is being applied (Back/Forward, a link), writes are ignored: the address already holds the
 * whole state, and e.g. a pager's "filters changed, back to page 1" must not overwrite the
 * cursors it came with.
 *
 * @param codecs - parameter name → codec.
 * @returns parameter name → writable ref.
 * @example
 * const state = useRouteState({ q: textParam(), page: listParam() });
 * state.q.value = "ada"; // → ?q=ada (history replaced)
 */
export function useRouteState<C extends Record<string, ParamCodec<unknown>>>(
  codecs: C,
): RouteState<C> {
  const route = useRoute();
  const router = useRouter();
  const owner = route.name;
  const query = ref<LocationQuery>({ ...route.query }) as Ref<LocationQuery>;
  let applyingRoute = false;
  let pending: LocationQuery | null = null;
  let push = false;

  watch(
    () => route.query,
    (next) => {
      if (route.name !== owner || sameQuery(next, query.value)) return;
      applyingRoute = true;
      try {
        query.value = { ...next };
      } finally {
        applyingRoute = false;
      }
    },
    { flush: "sync" },
  );

  function flush(): void {
    const next = pending;
    pending = null;
    if (!next || route.name !== owner || sameQuery(next, route.query)) return;
    const location = { query: next, hash: route.hash };
    void (push ? router.push(location) : router.replace(location));
  }

  function write(key: string, formatted: string | string[] | null, mode: "push" | "replace") {
    if (applyingRoute) return;
    if (!pending) {
      pending = { ...query.value };
      push = false;
      queueMicrotask(flush);
    }
    if (formatted === null) delete pending[key];
    else pending[key] = formatted;
    if (mode === "push") push = true;
    // Read back at once, so that state derived in the same tick (a pager reset) joins this write.
    query.value = { ...pending };
  }

  const state = {} as Record<string, WritableComputedRef<unknown>>;
  for (const [key, codec] of Object.entries(codecs)) {
    state[key] = computed({
      get: () => codec.parse(query.value[key]),
      set: (value) => {
        const formatted = codec.format(value);
        if (
          JSON.stringify(formatted) === JSON.stringify(codec.format(codec.parse(query.value[key])))
        ) {
          return;
        }
        write(key, formatted, codec.history ?? "push");
      },
    });
  }
  return state as RouteState<C>;
}

/**
 * The URL parameters of a paged list: `after` (the cursor of every page after the first) and
 * `size` (rows per page). Give them to usePagedQuery as `state: { cursors, pageSize }`.
 *
 * @param pageSize - the default rows per page, left out of the URL.
 */
export function pagerParams(pageSize = 50) {
  return { after: listParam(), size: intParam(pageSize, 1, 250) };
}

function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function parseLocalDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return localDay(date.getTime()) === text ? date.getTime() : null;
}

/**
 * A date-picker range (`[start, end]` in epoch ms, local days) as "2026-01-01..2026-01-31";
 * null (no range) by default.
 */
export function dayRangeParam(): ParamCodec<[number, number] | null> {
  return {
    parse: (raw) => {
      const [from, to, extra] = (first(raw) ?? "").split("..");
      const start = from ? parseLocalDay(from) : null;
      const end = to ? parseLocalDay(to) : null;
      return start !== null && end !== null && extra === undefined && start <= end
        ? [start, end]
        : null;
    },
    format: (v) => (v ? `${localDay(v[0])}..${localDay(v[1])}` : null),
  };
}

/** A range of numbers within [min, max] such as "20..80"; the whole span by default. */
export function numberRangeParam(min: number, max: number): ParamCodec<[number, number]> {
  return {
    parse: (raw) => {
      const parts = (first(raw) ?? "").split("..");
      const [lo, hi] = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? Number(p) : Number.NaN));
      return parts.length === 2 && lo! >= min && hi! <= max && lo! <= hi! ? [lo!, hi!] : [min, max];
    },
    format: (v) => (v[0] === min && v[1] === max ? null : `${v[0]}..${v[1]}`),
  };
}

/** A calendar month "YYYY-MM"; null by default. */
export function monthParam(): ParamCodec<string | null> {
  return {
    parse: (raw) => {
      const value = first(raw);
      return value !== null && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) ? value : null;
    },
    format: (v) => v,
  };
}
