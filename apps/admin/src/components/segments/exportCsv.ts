import { readToken } from "../../auth/tokenStorage";

/**
 * What to export: the same audience parameters as GET /export/customers.csv takes, which are
 * the customer list's filters (`CustomerFilter`) and a segment-language query.
 */
export interface ExportParams {
  query?: string | null;
  segmentId?: string | null;
  search?: string | null;
  channels?: readonly string[] | null;
  createdFrom?: string | null;
  createdTo?: string | null;
  clvMin?: string | null;
  clvMax?: string | null;
  pAliveMin?: number | null;
  pAliveMax?: number | null;
  tierKeys?: readonly string[] | null;
  rfmGroups?: readonly string[] | null;
  lifecycleStages?: readonly string[] | null;
  churnRisks?: readonly string[] | null;
}

/**
 * The export address for an audience: empty parameters left out, lists comma-separated.
 *
 * @example
 * exportUrl({ query: "tier = 'high'", tierKeys: [] }); // "/export/customers.csv?query=tier+%3D+%27high%27"
 */
export function exportUrl(params: ExportParams): string {
  const search = new URLSearchParams();
  if (params.query?.trim()) search.set("query", params.query.trim());
  if (params.segmentId) search.set("segmentId", params.segmentId);
  const single = ["search", "createdFrom", "createdTo", "clvMin", "clvMax"] as const;
  for (const name of single) {
    const value = params[name]?.trim();
    if (value) search.set(name, value);
  }
  if (params.pAliveMin != null) search.set("pAliveMin", String(params.pAliveMin));
  if (params.pAliveMax != null) search.set("pAliveMax", String(params.pAliveMax));
  const lists = ["channels", "tierKeys", "rfmGroups", "lifecycleStages", "churnRisks"] as const;
  for (const name of lists) {
    const values = params[name];
    if (values && values.length > 0) search.set(name, values.join(","));
  }
  const text = search.toString();
  return `/export/customers.csv${text ? `?${text}` : ""}`;
}

/**
 * Downloads the audience's CSV with the session's bearer token (a plain link cannot send it):
 * fetched, then saved through a temporary object URL.
 *
 * @throws {Error} with the server's message when the export is refused (bad query, no access).
 */
export async function downloadExport(
  params: ExportParams,
  filename = "customers.csv",
): Promise<void> {
  const token = readToken();
  const response = await fetch(exportUrl(params), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { errors?: { message?: string }[] };
      message = body.errors?.[0]?.message ?? message;
    } catch {
      // Not JSON: the status line says enough.
    }
    throw new Error(message);
  }
  const url = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Revoked after the click has handed the blob to the download.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
