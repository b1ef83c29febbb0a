import path from "node:path";
import { readFileSync, rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  CDNOW_DIR,
  cdnowTransactionsCsv,
  run,
  tempDir,
  writeTemp,
} from "./__tests__/clv-test-helpers";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command expected to fail and returns its single stderr line. */
async function failure(...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await run(...args);
  expect(code).toBe(1);
  expect(stdout).toBe("");
  const lines = stderr
    .split("\n")
    .filter((l) => l !== "" && !/^(reading|fitting|evaluating)/.test(l));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const tx = (name: string, body: string): string =>
  writeTemp(dir, name, `customer_id,date,amount\n${body}`);
const fit = (file: string, ...more: string[]): Promise<string> =>
  failure("clv", "fit", "--input", file, ...more);

describe("valuetier clv: bad input is one line on stderr and exit 1", () => {
  it("a missing file", async () => {
    expect(await fit(path.join(dir, "nope.csv"))).toMatch(
      /^valuetier: .*nope\.csv: file not found$/,
    );
  });

  it("empty input", async () => {
    expect(await fit(writeTemp(dir, "empty.csv", ""))).toMatch(
      /empty\.csv: the file is empty \(no header row\)/,
    );
    expect(await fit(tx("header-only.csv", ""))).toMatch(/has a header but no data rows/);
  });

  it("text or NaN in a numeric column, with the line number", async () => {
    const summary = writeTemp(
      dir,
      "text.csv",
      "customer_id,frequency,recency,T\n1,2,3,10\n2,two,0,10\n",
    );
    expect(await fit(summary)).toMatch(/text\.csv line 3: frequency must be a number, got "two"/);
    expect(await fit(tx("nan.csv", "1,2024-01-01,5\n1,2024-01-02,NaN\n"))).toMatch(
      /nan\.csv line 3: amount must be a number, got "NaN"/,
    );
  });

  it("negative amounts", async () => {
    expect(await fit(tx("neg.csv", "1,2024-01-01,5\n1,2024-01-05,-3.50\n"))).toMatch(
      /neg\.csv line 3: amount is negative \(-3\.50\)/,
    );
  });

  it("invalid and future dates", async () => {
    expect(await fit(tx("baddate.csv", "1,1997-02-30,5\n"))).toMatch(
      /baddate\.csv line 2: date must be YYYY-MM-DD/,
    );
    expect(await fit(tx("future.csv", "1,2024-01-01,5\n2,2999-01-01,5\n"))).toMatch(
      /future\.csv line 3: .*2999-01-01 is after today/,
    );
    expect(await fit(tx("ok.csv", "1,2024-01-01,5\n"), "--calibration-end", "2999-01-01")).toMatch(
      /calibration end 2999-01-01 is after today/,
    );
  });

  it("a calibration end before the first purchase", async () => {
    expect(
      await fit(
        tx("late.csv", "1,2024-01-01,5\n1,2024-02-01,5\n"),
        "--calibration-end",
        "2023-12-31",
      ),
    ).toMatch(/calibration end 2023-12-31 is before the first purchase \(2024-01-01\)/);
  });

  it("one customer, and nobody repeating", async () => {
    expect(await fit(tx("one.csv", "1,2024-01-01,5\n1,2024-02-01,5\n"))).toMatch(
      /BG\/NBD needs at least 2 customers, got 1/,
    );
    expect(
      await fit(tx("norepeat.csv", "1,2024-01-01,5\n2,2024-02-01,5\n3,2024-02-03,5\n")),
    ).toMatch(/none of the 3 customers made a repeat purchase.*nothing to fit/);
  });

  it("unreadable rows as the import reports them: broken quoting, invalid UTF-8", async () => {
    expect(
      await fit(
        writeTemp(dir, "quote.csv", 'customer_id,frequency,recency,T\n1,0,0,1\n"2"x,1,1,5\n'),
      ),
    ).toMatch(
      /quote\.csv line 3: malformed CSV: a quoted field must be followed by a comma or the end of the line$/,
    );
    const utf8 = Buffer.concat([
      Buffer.from("customer_id,frequency,recency,T\n1,0,0,1\n"),
      Buffer.from([0x43, 0xff]),
      Buffer.from(",1,1,5\n"),
    ]);
    expect(await fit(writeTemp(dir, "utf8.csv", utf8))).toMatch(
      /utf8\.csv line 3: the line is not valid UTF-8 text$/,
    );
    expect(
      await fit(
        writeTemp(dir, "open.csv", 'customer_id,frequency,recency,T\n1,0,0,1\n"2,1,1,5\n3,0,0,1\n'),
      ),
    ).toMatch(/open\.csv line 3: a quoted field opened on line 3 is never closed/);
  });

  it("unknown columns, a wrong field count and an invalid summary row", async () => {
    expect(await fit(writeTemp(dir, "cols.csv", "who,frequency,recency,T\n1,0,0,1\n"))).toMatch(
      /unknown summary column\(s\) who/,
    );
    expect(
      await fit(writeTemp(dir, "count.csv", "customer_id,frequency,recency,T\n1,0,0,1\n2,1,1\n")),
    ).toMatch(/count\.csv line 3: has 3 fields, the header has 4/);
    expect(await fit(writeTemp(dir, "recency.csv", "ID,x,t_x,T\n1,0,0,5\n2,1,7,5\n"))).toMatch(
      /recency\.csv line 3: customer 2 \(row 1\): recency must lie between 0 and T = 5/,
    );
  });

  it("bad options", async () => {
    const summary = path.join(CDNOW_DIR, "cdnow_customers_summary.csv");
    expect(await fit(summary, "--time-unit", "fortnight")).toMatch(
      /--time-unit must be one of day, week, month/,
    );
    expect(await fit(summary, "--format", "xml")).toMatch(
      /--format must be transactions or summary/,
    );
    expect(await fit(summary, "--calibration-end", "1997-09-30")).toMatch(
      /--calibration-end applies to transaction input only/,
    );
    expect(
      await failure("clv", "evaluate", "--input", summary, "--calibration-end", "1997-09-30"),
    ).toMatch(/evaluate needs dated transactions/);
    expect(await failure("clv", "fit")).toMatch(/required option '--input <file>' not specified/);
  });
});

describe("valuetier clv: tolerated input", () => {
  it("accepts a BOM and CRLF line ends (the CDNOW summary rewritten so)", async () => {
    const original = readFileSync(path.join(CDNOW_DIR, "cdnow_customers_summary.csv"), "utf8");
    const file = writeTemp(
      dir,
      "bom.csv",
      "\uFEFF" + original.trim().split(/\r?\n/).join("\r\n") + "\r\n",
    );
    const { code, stdout, stderr } = await run("clv", "fit", "--input", file, "--json");
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).bgnbd.r.toFixed(3)).toBe("0.243");
  });

  it("accepts ISO 8601 timestamps and upper-case headers in transactions", async () => {
    const csv = readFileSync(cdnowTransactionsCsv(dir), "utf8").trim().split("\n");
    const rows = csv.slice(1).map((line) => {
      const [id, date, amount] = line.split(",");
      return `${id},${date}T21:15:00-05:00,${amount}`;
    });
    const file = writeTemp(dir, "iso.csv", ["CUSTOMER_ID,Date,AMOUNT", ...rows].join("\n"));
    const { code, stdout, stderr } = await run(
      "clv",
      "fit",
      "--input",
      file,
      "--calibration-end",
      "1997-09-30",
      "--json",
    );
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.customers).toBe(2357);
    expect(report.bgnbd.r.toFixed(3)).toBe("0.243");
  });
});
