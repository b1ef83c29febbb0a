/**
 * The admin's areas, in navigation order. `built: false` areas show a coming-soon page. An
 * area with `pages` is a group in the navigation with one entry per page (route name → its
 * `nav.*` label).
 */
export const AREAS = [
  { key: "dashboard", built: true },
  { key: "customers", built: true },
  {
    key: "value",
    built: true,
    pages: [
      { route: "value-model", label: "valueModel" },
      { route: "value-runs", label: "valueRuns" },
    ],
  },
  { key: "segments", built: true },
  { key: "tiers", built: true },
  {
    key: "loyalty",
    built: true,
    pages: [
      { route: "loyalty-settings", label: "loyaltySettings" },
      { route: "loyalty-rewards", label: "loyaltyRewards" },
      { route: "loyalty-economics", label: "loyaltyEconomics" },
    ],
  },
  { key: "campaigns", built: true },
  { key: "settings", built: true },
] as const;

export type AreaKey = (typeof AREAS)[number]["key"];
export type UnbuiltAreaKey = Extract<(typeof AREAS)[number], { built: false }>["key"];
