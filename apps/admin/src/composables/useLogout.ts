import { useApolloClient, useMutation } from "@vue/apollo-composable";
import { useRouter } from "vue-router";
import { graphql } from "../gql";
import { useSessionStore } from "../stores/session";

const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      loggedOut
    }
  }
`);

/**
 * Signs out: ends the session on the server (so the token stops working even where it was
 * copied), forgets the token, drops every cached query (the next user must not see this one's
 * data) and goes to the login page.
 */
export function useLogout() {
  const session = useSessionStore();
  const { resolveClient } = useApolloClient();
  const { mutate } = useMutation(LogoutMutation);
  const router = useRouter();
  return async function logout(): Promise<void> {
    const token = session.token;
    // Signed out locally first: if the server answers that the session is already gone, the
    // client's UNAUTHENTICATED handler then has nothing left to do.
    session.signOut();
    if (token) {
      try {
        await mutate(null, { context: { headers: { Authorization: `Bearer ${token}` } } });
      } catch {
        // Already ended, or the server is unreachable: the user is signed out here either way.
      }
    }
    await resolveClient().clearStore();
    await router.push({ name: "login" });
  };
}
