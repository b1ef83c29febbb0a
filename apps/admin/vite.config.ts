import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// The API serves dist/ at "/" with an SPA fallback; in dev, Vite proxies /graphql (and the
// CSV exports under /export) to it.
export default defineConfig({
  base: "/",
  plugins: [vue()],
  // vue-i18n's esm-bundler build asks for its feature flags: composition API only (we use
  // `legacy: false`), no devtools hooks in production.
  define: {
    __VUE_I18N_FULL_INSTALL__: "true",
    __VUE_I18N_LEGACY_API__: "false",
    __INTLIFY_PROD_DEVTOOLS__: "false",
  },
  server: {
    proxy: {
      "/graphql": { target: "http://localhost:4000", changeOrigin: true },
      "/export": { target: "http://localhost:4000", changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      "/graphql": { target: "http://localhost:4000", changeOrigin: true },
      "/export": { target: "http://localhost:4000", changeOrigin: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
  },
});
