import { createRouter, createWebHistory, type RouteRecordRaw } from "vue-router";
import { useSessionStore } from "../stores/session";
import { AREAS, type AreaKey } from "./areas";
import { safeRedirect } from "./safe-redirect";

declare module "vue-router" {
  interface RouteMeta {
    /** Reachable without signing in. */
    public?: boolean;
    /** Highlights this area in the side navigation. */
    area?: AreaKey;
  }
}

const comingSoonRoutes: RouteRecordRaw[] = AREAS.filter((area) => !area.built).map((area) => ({
  path: area.key,
  name: area.key,
  component: () => import("../pages/ComingSoonPage.vue"),
  props: { area: area.key },
  meta: { area: area.key },
}));

export const routes: RouteRecordRaw[] = [
  {
    path: "/login",
    name: "login",
    component: () => import("../pages/auth/LoginPage.vue"),
    meta: { public: true },
  },
  {
    path: "/",
    component: () => import("../layouts/AdminLayout.vue"),
    children: [
      { path: "", redirect: { name: "customers" } },
      ...comingSoonRoutes,
      {
        path: "dashboard",
        name: "dashboard",
        component: () => import("../pages/dashboard/DashboardPage.vue"),
        meta: { area: "dashboard" },
      },
      {
        path: "customers",
        name: "customers",
        component: () => import("../pages/customers/CustomersPage.vue"),
        meta: { area: "customers" },
      },
      {
        path: "customers/:id",
        name: "customer",
        component: () => import("../pages/customers/CustomerPage.vue"),
        props: true,
        meta: { area: "customers" },
      },
      {
        path: "segments",
        name: "segments",
        component: () => import("../pages/segments/SegmentsPage.vue"),
        meta: { area: "segments" },
      },
      {
        path: "tiers",
        name: "tiers",
        component: () => import("../pages/tiers/TiersPage.vue"),
        meta: { area: "tiers" },
      },
      { path: "value", name: "value", redirect: { name: "value-model" } },
      {
        path: "value/model",
        name: "value-model",
        component: () => import("../pages/value/ModelPage.vue"),
        meta: { area: "value" },
      },
      {
        path: "value/runs",
        name: "value-runs",
        component: () => import("../pages/value/ScoringRunsPage.vue"),
        meta: { area: "value" },
      },
      { path: "loyalty", name: "loyalty", redirect: { name: "loyalty-settings" } },
      {
        path: "loyalty/settings",
        name: "loyalty-settings",
        component: () => import("../pages/loyalty/LoyaltySettingsPage.vue"),
        meta: { area: "loyalty" },
      },
      {
        path: "loyalty/rewards",
        name: "loyalty-rewards",
        component: () => import("../pages/loyalty/RewardsPage.vue"),
        meta: { area: "loyalty" },
      },
      {
        path: "loyalty/economics",
        name: "loyalty-economics",
        component: () => import("../pages/loyalty/EconomicsPage.vue"),
        meta: { area: "loyalty" },
      },
      {
        path: "campaigns",
        name: "campaigns",
        component: () => import("../pages/campaigns/CampaignsPage.vue"),
        meta: { area: "campaigns" },
      },
      {
        path: "campaigns/new",
        name: "campaign-new",
        component: () => import("../pages/campaigns/CampaignBuilderPage.vue"),
        meta: { area: "campaigns" },
      },
      {
        path: "campaigns/:id",
        name: "campaign",
        component: () => import("../pages/campaigns/CampaignPage.vue"),
        props: true,
        meta: { area: "campaigns" },
      },
      {
        path: "campaigns/:id/edit",
        name: "campaign-edit",
        component: () => import("../pages/campaigns/CampaignBuilderPage.vue"),
        props: true,
        meta: { area: "campaigns" },
      },
      {
        path: "settings",
        component: () => import("../pages/settings/SettingsPage.vue"),
        meta: { area: "settings" },
        children: [
          { path: "", name: "settings", redirect: { name: "settings-users" } },
          {
            path: "users",
            name: "settings-users",
            component: () => import("../pages/settings/UsersPage.vue"),
            meta: { area: "settings" },
          },
          {
            path: "api-keys",
            name: "settings-api-keys",
            component: () => import("../pages/settings/ApiKeysPage.vue"),
            meta: { area: "settings" },
          },
          {
            path: "audit-log",
            name: "settings-audit-log",
            component: () => import("../pages/settings/AuditLogPage.vue"),
            meta: { area: "settings" },
          },
          {
            path: "webhooks",
            name: "settings-webhooks",
            component: () => import("../pages/settings/WebhooksPage.vue"),
            meta: { area: "settings" },
          },
        ],
      },
      {
        path: ":pathMatch(.*)*",
        name: "not-found",
        component: () => import("../pages/NotFoundPage.vue"),
      },
    ],
  },
];

export { safeRedirect };

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory("/"), routes });

  router.beforeEach((to) => {
    const session = useSessionStore();
    if (!to.meta.public && !session.isSignedIn) {
      return { name: "login", query: to.fullPath === "/" ? {} : { redirect: to.fullPath } };
    }
    if (to.name === "login" && session.isSignedIn) return safeRedirect(to.query["redirect"]);
    return true;
  });

  return router;
}
