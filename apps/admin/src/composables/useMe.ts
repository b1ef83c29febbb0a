import { useQuery } from "@vue/apollo-composable";
import { computed } from "vue";
import { graphql } from "../gql";

const MeQuery = graphql(`
  query Me {
    me {
      id
      email
      name
      role
    }
  }
`);

/**
 * The signed-in user (`me`). Shared through Apollo's cache, so every caller gets the same
 * answer from one request.
 */
export function useMe() {
  const query = useQuery(MeQuery, null, { fetchPolicy: "cache-first" });
  const me = computed(() => query.result.value?.me ?? null);
  return {
    me,
    isAdmin: computed(() => me.value?.role === "ADMIN"),
    /** True once the server has answered that this session has no user. */
    missing: computed(() => query.result.value !== undefined && query.result.value.me === null),
    loading: query.loading,
    error: query.error,
    refetch: () => query.refetch(),
  };
}
