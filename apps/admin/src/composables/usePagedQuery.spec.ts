import {
  ApolloClient,
  ApolloLink,
  InMemoryCache,
  Observable,
  gql,
  type NormalizedCacheObject,
} from "@apollo/client/core";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import { defineComponent, ref } from "vue";
import { usePagedQuery } from "./usePagedQuery";

interface Item {
  __typename: "Item";
  id: string;
}
interface ItemsResult {
  items: {
    __typename: "ItemConnection";
    totalCount: number;
    pageInfo: { __typename: "PageInfo"; hasNextPage: boolean; endCursor: string | null };
    edges: { __typename: "ItemEdge"; cursor: string; node: Item }[];
  };
}
interface ItemsVariables {
  prefix: string;
  first?: number | null;
  after?: string | null;
}

const ItemsQuery: TypedDocumentNode<ItemsResult, ItemsVariables> = gql`
  query Items($prefix: String!, $first: Int, $after: String) {
    items(prefix: $prefix, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
        }
      }
    }
  }
`;

/** A fake API over five items per prefix whose cursors are the item ids. */
function fakeApi() {
  const requests: ItemsVariables[] = [];
  const link = new ApolloLink((operation) => {
    const variables = operation.variables as ItemsVariables;
    requests.push({ ...variables });
    const all = [1, 2, 3, 4, 5].map((n) => `${variables.prefix}${n}`);
    const start = variables.after ? all.indexOf(variables.after) + 1 : 0;
    const page = all.slice(start, start + (variables.first ?? 50));
    const data: ItemsResult = {
      items: {
        __typename: "ItemConnection",
        totalCount: all.length,
        pageInfo: {
          __typename: "PageInfo",
          hasNextPage: start + page.length < all.length,
          endCursor: page.at(-1) ?? null,
        },
        edges: page.map((id) => ({
          __typename: "ItemEdge",
          cursor: id,
          node: { __typename: "Item", id },
        })),
      },
    };
    return Observable.of({ data });
  });
  const client: ApolloClient<NormalizedCacheObject> = new ApolloClient({
    link,
    cache: new InMemoryCache(),
  });
  return { client, requests };
}

function mountPaged(client: ApolloClient<NormalizedCacheObject>) {
  const prefix = ref("a");
  let paged!: ReturnType<typeof usePagedQuery<ItemsResult, ItemsVariables, Item>>;
  mount(
    defineComponent({
      setup() {
        paged = usePagedQuery(ItemsQuery, {
          variables: () => ({ prefix: prefix.value }),
          connection: (data) => data.items,
          pageSize: 2,
        });
        return () => null;
      },
    }),
    { global: { provide: { [DefaultApolloClient]: client } } },
  );
  return { paged, prefix };
}

const ids = (nodes: Item[]) => nodes.map((node) => node.id);

describe("usePagedQuery", () => {
  it("loads the first page with first = page size and no cursor", async () => {
    const { client, requests } = fakeApi();
    const { paged } = mountPaged(client);
    await flushPromises();

    expect(requests).toEqual([{ prefix: "a", first: 2, after: null }]);
    expect(ids(paged.nodes.value)).toEqual(["a1", "a2"]);
    expect(paged.totalCount.value).toBe(5);
    expect(paged.pageCount.value).toBe(3);
    expect(paged.hasNext.value).toBe(true);
    expect(paged.hasPrevious.value).toBe(false);
  });

  it("walks forward with endCursor and back with the cursor stack", async () => {
    const { client, requests } = fakeApi();
    const { paged } = mountPaged(client);
    await flushPromises();

    paged.next();
    await flushPromises();
    expect(ids(paged.nodes.value)).toEqual(["a3", "a4"]);
    expect(requests.at(-1)).toEqual({ prefix: "a", first: 2, after: "a2" });

    paged.next();
    await flushPromises();
    expect(ids(paged.nodes.value)).toEqual(["a5"]);
    expect(paged.pageNumber.value).toBe(3);
    expect(paged.hasNext.value).toBe(false);

    // Next on the last page stays put.
    paged.next();
    await flushPromises();
    expect(paged.pageNumber.value).toBe(3);

    paged.previous();
    await flushPromises();
    expect(ids(paged.nodes.value)).toEqual(["a3", "a4"]);
    expect(paged.pageNumber.value).toBe(2);

    paged.previous();
    await flushPromises();
    expect(ids(paged.nodes.value)).toEqual(["a1", "a2"]);
    expect(paged.hasPrevious.value).toBe(false);
  });

  it("goes back to the first page when the other variables change, in one request", async () => {
    const { client, requests } = fakeApi();
    const { paged, prefix } = mountPaged(client);
    await flushPromises();
    paged.next();
    await flushPromises();
    const before = requests.length;

    prefix.value = "b";
    await flushPromises();

    expect(requests.slice(before)).toEqual([{ prefix: "b", first: 2, after: null }]);
    expect(ids(paged.nodes.value)).toEqual(["b1", "b2"]);
    expect(paged.pageNumber.value).toBe(1);
  });

  it("restarts from the first page with the new size", async () => {
    const { client, requests } = fakeApi();
    const { paged } = mountPaged(client);
    await flushPromises();
    paged.next();
    await flushPromises();

    paged.setPageSize(25);
    await flushPromises();

    expect(requests.at(-1)).toEqual({ prefix: "a", first: 25, after: null });
    expect(ids(paged.nodes.value)).toEqual(["a1", "a2", "a3", "a4", "a5"]);
    expect(paged.hasNext.value).toBe(false);
  });
});
