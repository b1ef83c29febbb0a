import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../main";

const dir = mkdtempSync(path.join(tmpdir(), "vt-generate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(["node", "valuetier", ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

const read = (out: string) => ({
  customers: readFileSync(path.join(out, "customers.csv")),
  orders: readFileSync(path.join(out, "orders.csv")),
});

describe("valuetier generate", () => {
  it("writes identical files for the same seed and different ones for another", async () => {
    const a = path.join(dir, "a");
    const b = path.join(dir, "b");
    const c = path.join(dir, "c");
    expect((await run("generate", "--customers", "300", "--seed", "42", "--out", a)).code).toBe(0);
    expect((await run("generate", "--customers", "300", "--seed", "42", "--out", b)).code).toBe(0);
    expect((await run("generate", "--customers", "300", "--seed", "43", "--out", c)).code).toBe(0);
    const [fa, fb, fc] = [read(a), read(b), read(c)];
    expect(fa.customers.equals(fb.customers)).toBe(true);
    expect(fa.orders.equals(fb.orders)).toBe(true);
    expect(fa.customers.equals(fc.customers)).toBe(false);
    expect(fa.orders.equals(fc.orders)).toBe(false);
    const lines = fa.customers.toString().trimEnd().split("\n");
    expect(lines[0]).toBe(
      "external_id,email,name,created_at,acquisition_channel,acquisition_cost,tags,nps",
    );
    expect(lines).toHaveLength(301);
    expect(fa.orders.toString().split("\n")[0]).toBe(
      "external_id,customer_external_id,placed_at,amount,margin,currency,status",
    );
  });

  it("prints a JSON summary and honours the period", async () => {
    const out = path.join(dir, "json");
    const result = await run(
      "generate",
      "--customers",
      "50",
      "--from",
      "2024-01-01",
      "--to",
      "2024-03-31",
      "--currency",
      "eur",
      "--out",
      out,
      "--json",
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      customers: 50,
      from: "2024-01-01",
      to: "2024-03-31",
      currency: "EUR",
      seed: 1,
    });
    const orders = read(out).orders.toString().trimEnd().split("\n").slice(1);
    expect(orders).toHaveLength(summary.orders);
    for (const line of orders) {
      const [, , placedAt, , , currency] = line.split(",");
      expect(placedAt! >= "2024-01-01" && placedAt! < "2024-04-01").toBe(true);
      expect(currency).toBe("EUR");
    }
  });

  it.each([
    [["--customers", "many"], /--customers must be a whole number/],
    [["--customers", "5", "--seed", "x"], /--seed must be a whole number/],
    [["--customers", "5", "--from", "2024-02-30"], /--from must be a date/],
    [
      ["--customers", "5", "--from", "2024-03-01", "--to", "2024-02-01"],
      /--to must not be before --from/,
    ],
    [["--customers", "5", "--currency", "ABC"], /--currency must be an ISO 4217 code/],
    [["--customers", "5", "--to", "2999-01-01"], /--to must not be after today/],
  ])("refuses %j with one line on stderr", async (args, message) => {
    const result = await run("generate", ...args, "--out", path.join(dir, "bad"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stdout).toBe("");
  });
});
