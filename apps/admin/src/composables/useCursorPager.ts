import { computed, ref, type Ref } from "vue";

/** Page sizes offered in the UI; the API caps `first` at 250. */
export const PAGE_SIZES = [25, 50, 100, 250] as const;
export const MAX_PAGE_SIZE = 250;

/**
 * Forward-only Relay cursors, browsed both ways: the `after` cursor of every page visited is
 * kept on a stack, so Previous pops one and Next pushes the current page's `endCursor`.
 * The first page has no cursor (`after: null`).
 *
 * @param initialPageSize - rows per page, clamped to 1..250.
 * @param state - where the cursors and page size live, e.g. in the URL (useRouteState);
 *   by default, in this pager.
 * @returns reactive paging state and the operations on it.
 * @example
 * const pager = useCursorPager(50);
 * pager.next("c50"); // pager.after.value === "c50", pager.pageNumber.value === 2
 */
export function useCursorPager(initialPageSize = 50, state: PagerState = {}) {
  const pageSize = state.pageSize ?? ref(clampPageSize(initialPageSize));
  const stack = state.cursors ?? ref<string[]>([]);

  const after = computed<string | null>(() => stack.value.at(-1) ?? null);
  const pageNumber = computed(() => stack.value.length + 1);
  const hasPrevious = computed(() => stack.value.length > 0);

  /** Moves to the page after the current one. Ignores a missing or repeated cursor. */
  function next(endCursor: string | null | undefined): void {
    if (!endCursor || endCursor === after.value) return;
    stack.value = [...stack.value, endCursor];
  }

  /** Moves back one page; no-op on the first page. */
  function previous(): void {
    if (stack.value.length === 0) return;
    stack.value = stack.value.slice(0, -1);
  }

  /** Back to the first page, e.g. when filters or sorting change. */
  function reset(): void {
    if (stack.value.length > 0) stack.value = [];
  }

  /** Changes rows per page and returns to the first page (old cursors would skip rows). */
  function setPageSize(size: number): void {
    pageSize.value = clampPageSize(size);
    reset();
  }

  return { pageSize, after, pageNumber, hasPrevious, next, previous, reset, setPageSize };
}

/** Refs a pager can keep its state in instead of its own. */
export interface PagerState {
  /** The `after` cursor of every page after the first, oldest first. */
  cursors?: Ref<string[]>;
  pageSize?: Ref<number>;
}

function clampPageSize(size: number): number {
  if (!Number.isFinite(size)) return 50;
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(size)));
}
