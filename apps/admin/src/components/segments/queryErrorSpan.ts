/** A positioned error of the segment language, as segmentPreview reports it. */
export interface QueryErrorSpan {
  offset: number;
  length: number;
}

/**
 * The query cut around its error, for underlining: the text before, the erring part (at least
 * one character; a space stands in at the end of the text) and the rest.
 *
 * @example
 * splitAtError("tier = 'high' AND", { offset: 17, length: 0 }); // ["tier = 'high' AND", " ", ""]
 */
export function splitAtError(text: string, error: QueryErrorSpan): [string, string, string] {
  const start = Math.max(0, Math.min(error.offset, text.length));
  const end = Math.min(text.length, start + Math.max(1, error.length));
  const marked = text.slice(start, end);
  return [text.slice(0, start), marked === "" ? " " : marked, text.slice(end)];
}
