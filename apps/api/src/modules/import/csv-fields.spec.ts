import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CsvFields } from "./csv-fields";
import { readCsvFile } from "./csv-source";
import { ImportFileError } from "./import-errors";

const dir = mkdtempSync(path.join(tmpdir(), "vt-csv-fields-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
function file(content: string | Buffer): string {
  const name = path.join(dir, `f${++fileNo}.csv`);
  writeFileSync(name, content);
  return name;
}

/** The fields of one line as the reader sees them, from bytes. */
function view(line: string): CsvFields {
  const buf = Buffer.from(`padding,${line}\nnext`);
  const fields = new CsvFields();
  fields.setBytes(buf, 8, 8 + Buffer.byteLength(line), 2, false);
  return fields;
}

describe("CsvFields", () => {
  it("splits a line into fields and decodes them on demand", () => {
    const row = view("C1, Zoë ,3.5,,x");
    expect(row.count).toBe(5);
    expect([0, 1, 2, 3, 4].map((k) => row.text(k))).toEqual(["C1", " Zoë ", "3.5", "", "x"]);
    expect(row.trimmed(1)).toBe("Zoë");
    expect(row.number(2)).toBe(3.5);
    expect(row.number(3)).toBeNaN();
    expect(row.blank()).toBe(false);
    expect(view(" , ,\t").blank()).toBe(true);
  });

  it("reads numbers from bytes to exactly the double Number() gives", () => {
    const texts = [
      "0",
      "-0",
      "+7",
      "12",
      "4.",
      ".5",
      " 2.25 ",
      "29.285714285714285",
      "51.57142857142857",
      "9007199254740993",
      "9007199254740991",
      "0.1",
      "123456789012345.6",
      "1e-3",
      "-2.5E+10",
      "00012.500",
      "0.30000000000000004",
      "1.7976931348623157e308",
    ];
    // Random decimals with 1 to 19 significant digits and 0 to 20 after the point.
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 5000; k++) {
      const digits = 1 + Math.floor(random() * 19);
      let text = "";
      for (let d = 0; d < digits; d++) text += Math.floor(random() * 10);
      const point = Math.floor(random() * (digits + 1));
      texts.push(text.slice(0, point) + "." + text.slice(point));
    }
    for (const text of texts) {
      const got = view(`x,${text}`).number(1);
      expect(Object.is(got, Number(text.trim())), `${text}: ${got}`).toBe(true);
    }
  });

  it("copies a trimmed field's bytes without making a string, from bytes and from text", () => {
    const target = Buffer.alloc(64);
    const row = view(" C1 ,\tZoë\t,,x");
    let at = 0;
    for (let k = 0; k < row.count; k++) {
      expect(row.maxBytes(k)).toBe(Buffer.byteLength(row.text(k)));
      const n = row.copyTrimmed(k, target, at);
      expect(target.toString("utf8", at, at + n)).toBe(row.trimmed(k));
      at += n;
    }
    expect(target.toString("utf8", 0, at)).toBe("C1Zoëx");
    const long = view(`${"y".repeat(40)} ,z`);
    expect(long.copyTrimmed(0, target, 0)).toBe(40);
    expect(target.toString("utf8", 0, 40)).toBe("y".repeat(40));
    const quoted = new CsvFields();
    quoted.setTexts([" a,ü ", "b"], 3, false);
    expect(quoted.maxBytes(0)).toBe(6);
    const n = quoted.copyTrimmed(0, target, 5);
    expect(target.toString("utf8", 5, 5 + n)).toBe("a,ü");
  });

  it("gives NaN for anything that is not a decimal number", () => {
    for (const text of [
      "",
      " ",
      "two",
      "1.2.3",
      "0x10",
      "Infinity",
      "NaN",
      "1e",
      "+",
      ".",
      "5 5",
      "3-",
    ]) {
      expect(view(`x,${text}`).number(1), JSON.stringify(text)).toBeNaN();
    }
  });

  it("reads a quoted record's fields from text the same way", () => {
    const row = new CsvFields();
    row.setTexts(["a,b", " 1.5 ", "x"], 4, false);
    expect(row.count).toBe(3);
    expect(row.text(0)).toBe("a,b");
    expect(row.number(1)).toBe(1.5);
    expect(row.number(2)).toBeNaN();
  });
});

describe("readCsvFile", () => {
  async function read(content: string | Buffer) {
    const out: { header: string[]; rows: string[][]; problems: string[] } = {
      header: [],
      rows: [],
      problems: [],
    };
    await readCsvFile(file(content), {
      onHeader: (fields) => (out.header = fields),
      onRow: (row) =>
        out.rows.push([
          String(row.line),
          ...Array.from({ length: row.count }, (_, k) => row.text(k)),
          ...(row.invalidUtf8 ? ["<invalid>"] : []),
        ]),
      onProblem: (line, message) => out.problems.push(`${line}: ${message}`),
    });
    return out;
  }

  it("hands over header and rows with their lines, quoted or not, blank lines skipped", async () => {
    const got = await read('\uFEFFid,n\r\n1,2\r\n\r\n"a\nb",3\n4,"x""y"\n');
    expect(got.header).toEqual(["id", "n"]);
    expect(got.rows).toEqual([
      ["2", "1", "2"],
      ["4", "a\nb", "3"],
      ["6", "4", 'x"y'],
    ]);
  });

  it("reports broken quoting and invalid UTF-8 with the import's messages and lines", async () => {
    const got = await read(
      Buffer.concat([Buffer.from('id,n\n"a"b,1\n2,'), Buffer.from([0xff]), Buffer.from("\n")]),
    );
    expect(got.problems).toEqual([
      "2: malformed CSV: a quoted field must be followed by a comma or the end of the line",
    ]);
    expect(got.rows).toEqual([["3", "2", "\uFFFD", "<invalid>"]]);
  });

  it("rejects a missing or empty file as the import does", async () => {
    await expect(read("")).rejects.toThrow(/the file is empty \(no header row\)/);
    const missing = path.join(dir, "nope.csv");
    const error = await readCsvFile(missing, {
      onHeader: () => undefined,
      onRow: () => undefined,
      onProblem: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as ImportFileError).code).toBe("FILE_NOT_FOUND");
  });
});
