import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../../../main";

/** The CDNOW reference data shipped with the repository (data/cdnow, see its README). */
export const CDNOW_DIR = path.resolve(__dirname, "../../../../../../data/cdnow");

/** Runs `valuetier …` in-process and captures its output. */
export async function run(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "valuetier", ...args], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** A fresh temporary folder for one test file. */
export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "valuetier-clv-"));
}

/** Writes a file into `dir` and returns its path. */
export function writeTemp(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

/**
 * Converts CDNOW_sample.txt (whitespace separated: id_master id_sample YYYYMMDD cds dollars)
 * to the transactions CSV the command line reads, keyed by the sample id like the summaries.
 */
export function cdnowTransactionsCsv(dir: string): string {
  const rows = readFileSync(path.join(CDNOW_DIR, "CDNOW_sample.txt"), "utf8")
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [, id, ymd, , dollars] = line.trim().split(/\s+/);
      return `${Number(id)},${ymd!.slice(0, 4)}-${ymd!.slice(4, 6)}-${ymd!.slice(6, 8)},${dollars}`;
    });
  return writeTemp(
    dir,
    "cdnow_transactions.csv",
    ["customer_id,date,amount", ...rows].join("\n") + "\n",
  );
}
