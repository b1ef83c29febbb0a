import { useApolloClient } from "@vue/apollo-composable";
import { useRouter } from "vue-router";
import { useSessionStore } from "../stores/session";

/**
 * Signs out: forgets the token, drops every cached query (the next user must not see this
 * one's data) and goes to the login page.
 */
export function useLogout() {
  const session = useSessionStore();
  const { resolveClient } = useApolloClient();
  const router = useRouter();
  return async function logout(): Promise<void> {
    session.signOut();
    await resolveClient().clearStore();
    await router.push({ name: "login" });
  };
}
