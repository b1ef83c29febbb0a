/** The admin's areas, in navigation order. `built: false` areas show a coming-soon page. */
export const AREAS = [
  { key: "dashboard", built: false },
  { key: "customers", built: true },
  { key: "segments", built: false },
  { key: "tiers", built: false },
  { key: "loyalty", built: false },
  { key: "campaigns", built: false },
  { key: "settings", built: true },
] as const;

export type AreaKey = (typeof AREAS)[number]["key"];
export type UnbuiltAreaKey = Extract<(typeof AREAS)[number], { built: false }>["key"];
