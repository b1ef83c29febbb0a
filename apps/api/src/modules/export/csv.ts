/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field: RFC 4180 quoting (a field holding a comma, quote, CR or LF is quoted, quotes
 * doubled) after neutralising formulas: text starting with =, +, -, @, tab or CR gets a leading
 * single quote, so that a spreadsheet shows it instead of running it. Numbers are written as
 * they are (a negative amount stays a number); only text is neutralised.
 *
 * @param value the cell; null and undefined are empty.
 * @returns the field as it goes between commas.
 * @example
 * csvField('=HYPERLINK("http://x")'); // "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvField(-5); // "-5"
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV record with its CRLF line end (RFC 4180). */
export function csvRecord(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
