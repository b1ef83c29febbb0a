/** Words longer than this get no suggestion: nobody mistypes a 40-letter field name. */
const MAX_SUGGESTIBLE_LENGTH = 40;

/**
 * The candidate closest to a mistyped word, for "did you mean …?". Case is ignored; the
 * distance is Damerau–Levenshtein (optimal string alignment: a swap of two neighbours counts
 * once, so "hgih" is one edit from "high"). A candidate qualifies within one edit for short
 * words and a third of the word's length for longer ones.
 *
 * @param word what was written.
 * @param candidates the allowed words.
 * @returns the closest candidate (the first of equals), or undefined when none is close.
 * @example
 * closestWord("hgih", ["low", "medium", "high"]); // "high"
 * closestWord("tiers", ["tier", "clv"]); // "tier"
 * closestWord("xyz", ["tier", "clv"]); // undefined
 */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  if (word.length === 0 || word.length > MAX_SUGGESTIBLE_LENGTH) return undefined;
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(w, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  // Three rows are enough for the optimal-string-alignment recurrence.
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2]! + 1);
      }
      current[j] = d;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}
