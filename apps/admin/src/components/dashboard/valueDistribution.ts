import type { DashboardChartOption } from "./dashboardCharts";

export interface GridCell {
  r: number;
  fm: number;
  customers: number;
}

export interface Move {
  from?: string | null;
  to?: string | null;
  customers: number;
}

export interface HeatmapText {
  recency: string;
  fm: string;
  customers: string;
  count: (n: number) => string;
}

/**
 * The R × FM heat map: FM 1–5 across, R 5 (most recent) at the top, a cell's count as its
 * colour and, where it fits, its label.
 *
 * @param cells the 25 cells from valueDistribution.rfmGrid.
 */
export function rfmHeatmapOption(
  cells: readonly GridCell[],
  text: HeatmapText,
): DashboardChartOption {
  const max = Math.max(1, ...cells.map((c) => c.customers));
  return {
    // The R axis name stands beside the axis, turned: room for it on the left.
    grid: { left: 32, right: 8, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      formatter: (params) => {
        const item = Array.isArray(params) ? params[0] : params;
        const [fm, r, n] = (item?.value ?? []) as [number, number, number];
        return `R ${r + 1} · FM ${fm + 1}<br/>${text.count(n)} ${text.customers}`;
      },
    },
    xAxis: {
      type: "category",
      data: ["1", "2", "3", "4", "5"],
      name: text.fm,
      nameLocation: "middle",
      nameGap: 24,
      splitArea: { show: true },
    },
    yAxis: {
      type: "category",
      data: ["1", "2", "3", "4", "5"],
      name: text.recency,
      nameLocation: "middle",
      nameRotate: 90,
      nameGap: 28,
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: 120,
      inRange: { color: ["#f2fbf6", "#18a058", "#0c5a32"] },
    },
    series: [
      {
        type: "heatmap",
        data: cells.map((c) => [c.fm - 1, c.r - 1, c.customers]),
        label: {
          show: true,
          fontSize: 11,
          formatter: (p) => text.count(((p.value ?? []) as number[])[2] ?? 0),
        },
      },
    ],
  };
}

export interface MovementMatrix {
  /** Row keys: earlier tiers (null: new since the earlier run), in the order given, then others. */
  rows: (string | null)[];
  columns: string[];
  /** counts[row][column] */
  counts: number[][];
  /** Of all moved customers: how many went up, down or stayed (by the order of `order`). */
  up: number;
  down: number;
  same: number;
}

/**
 * The from → to counts as a matrix in tier order (best first), with how many moved up and down.
 * A key not in `order` (a deleted tier, or none) comes after the known ones.
 *
 * @example
 * movementMatrix([{ from: "high", to: "low", customers: 2 }], ["high", "low"]).down; // 2
 */
export function movementMatrix(moves: readonly Move[], order: readonly string[]): MovementMatrix {
  const known = (key: string | null | undefined) => (key == null ? -1 : order.indexOf(key));
  const extra = (keys: (string | null | undefined)[]) =>
    [...new Set(keys.filter((k): k is string => k != null && !order.includes(k)))].sort();
  const columns = [...order, ...extra(moves.map((m) => m.to))];
  const hasNew = moves.some((m) => m.from == null);
  const rows: (string | null)[] = [
    ...order,
    ...extra(moves.map((m) => m.from)),
    ...(hasNew ? [null] : []),
  ];
  const counts = rows.map(() => columns.map(() => 0));
  let up = 0;
  let down = 0;
  let same = 0;
  for (const move of moves) {
    const row = rows.indexOf(move.from ?? null);
    const column = move.to == null ? -1 : columns.indexOf(move.to);
    if (row >= 0 && column >= 0) counts[row]![column]! += move.customers;
    const a = known(move.from);
    const b = known(move.to);
    if (a < 0 || b < 0) continue;
    if (b < a) up += move.customers;
    else if (b > a) down += move.customers;
    else same += move.customers;
  }
  return { rows, columns, counts, up, down, same };
}
