import { defineStore } from "pinia";
import { computed, ref } from "vue";
import { readToken, writeToken } from "../auth/tokenStorage";

/**
 * The signed-in session: only the bearer token lives here. Who the user is comes from the
 * `me` query (see composables/useMe.ts), so it can never disagree with the server.
 */
export const useSessionStore = defineStore("session", () => {
  const token = ref<string | null>(readToken());
  const isSignedIn = computed(() => token.value !== null);

  function signIn(newToken: string): void {
    token.value = newToken;
    writeToken(newToken);
  }

  function signOut(): void {
    token.value = null;
    writeToken(null);
  }

  return { token, isSignedIn, signIn, signOut };
});
