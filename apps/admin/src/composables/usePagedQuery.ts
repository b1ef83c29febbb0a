import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { useQuery } from "@vue/apollo-composable";
import { computed, watch, type Ref } from "vue";
import { useCursorPager, type PagerState } from "./useCursorPager";

/** The part of a Relay connection the pager reads. */
export interface Connection<TNode> {
  edges: ReadonlyArray<{ node: TNode }>;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  totalCount: number;
}

/** Variables every paged query takes. */
/** What paging controls need of a paged query. */
export interface PagerControls {
  pageNumber: Readonly<Ref<number>>;
  pageCount: Readonly<Ref<number>>;
  pageSize: Readonly<Ref<number>>;
  totalCount: Readonly<Ref<number>>;
  hasPrevious: Readonly<Ref<boolean>>;
  hasNext: Readonly<Ref<boolean>>;
  loading: Readonly<Ref<boolean>>;
  previous(): void;
  next(): void;
  setPageSize(size: number): void;
}

export interface PagingVariables {
  first?: number | null;
  after?: string | null;
}

export interface PagedQueryOptions<TResult, TVariables extends PagingVariables, TNode> {
  /** The other variables (filters, sorting, ids). A change goes back to the first page. */
  variables?: () => Omit<TVariables, keyof PagingVariables>;
  /** Picks the connection out of the result; null when the parent object is missing. */
  connection: (data: TResult) => Connection<TNode> | null | undefined;
  pageSize?: number;
  /** Where the cursors and page size live (the URL, through useRouteState); default: here. */
  state?: PagerState;
  /** Skip the query while false (e.g. until a route parameter is known). */
  enabled?: () => boolean;
}

/**
 * One Relay connection, a page at a time, with a cursor stack for Previous
 * (see useCursorPager). Every admin list uses this instead of its own paging code.
 *
 * @param document - a typed query taking `first` and `after`.
 * @param options - other variables and where the connection sits in the result.
 * @returns the current page's nodes, counts, paging operations and the query state.
 */
export function usePagedQuery<TResult, TVariables extends PagingVariables, TNode>(
  document: TypedDocumentNode<TResult, TVariables>,
  options: PagedQueryOptions<TResult, TVariables, TNode>,
) {
  const pager = useCursorPager(options.pageSize, options.state);

  // Cursors belong to one filter/sort: when those change, go back to the first page before
  // the query sees the new variables (sync flush), so no request pairs new filters with an
  // old cursor.
  const otherVariablesKey = computed(() => JSON.stringify(options.variables?.() ?? {}));
  watch(otherVariablesKey, () => pager.reset(), { flush: "sync" });

  const variables = computed(
    () =>
      ({
        ...options.variables?.(),
        first: pager.pageSize.value,
        after: pager.after.value,
      }) as TVariables,
  );

  const query = useQuery(document, variables, () => ({
    enabled: options.enabled?.() ?? true,
    // Keep showing the previous page while the next one loads.
    keepPreviousResult: true,
    notifyOnNetworkStatusChange: true,
  }));

  const connection = computed(() =>
    query.result.value ? (options.connection(query.result.value) ?? null) : null,
  );
  const nodes = computed<TNode[]>(() => connection.value?.edges.map((edge) => edge.node) ?? []);
  const totalCount = computed(() => connection.value?.totalCount ?? 0);
  const hasNext = computed(() => connection.value?.pageInfo.hasNextPage ?? false);
  const pageCount = computed(() => Math.max(1, Math.ceil(totalCount.value / pager.pageSize.value)));

  function next(): void {
    if (hasNext.value) pager.next(connection.value?.pageInfo.endCursor);
  }

  return {
    result: query.result,
    loading: query.loading,
    error: query.error,
    refetch: () => query.refetch(),
    connection,
    nodes,
    totalCount,
    pageCount,
    pageNumber: pager.pageNumber,
    pageSize: pager.pageSize,
    hasNext,
    hasPrevious: pager.hasPrevious,
    next,
    previous: pager.previous,
    reset: pager.reset,
    setPageSize: pager.setPageSize,
  };
}
