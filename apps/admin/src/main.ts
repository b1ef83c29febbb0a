import { DefaultApolloClient } from "@vue/apollo-composable";
import { createPinia } from "pinia";
import { createApp } from "vue";
import App from "./App.vue";
import { createApolloClient } from "./apollo/createApolloClient";
import { currentLocale, i18n } from "./i18n";
import { createAppRouter } from "./router";
import { useSessionStore } from "./stores/session";

const app = createApp(App);
const pinia = createPinia();
app.use(pinia);

const session = useSessionStore(pinia);
const router = createAppRouter();

const apollo = createApolloClient({
  getToken: () => session.token,
  onUnauthenticated: () => {
    // Several queries can fail at once; only the first one signs out and redirects.
    if (!session.isSignedIn) return;
    session.signOut();
    void apollo.clearStore();
    const current = router.currentRoute.value;
    void router.replace({
      name: "login",
      query: { redirect: current.fullPath, expired: "1" },
    });
  },
});

app.provide(DefaultApolloClient, apollo);
app.use(i18n);
app.use(router);
document.documentElement.lang = currentLocale.value;
app.mount("#app");
