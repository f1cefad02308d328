// Rule 5: a disclosure counts when it contains "ad", "#ad", "sponsored" or "advertisement" as a
// whole word, in any case. "#ad" is covered by "ad": '#' is not a word character. A word is a run
// of letters, digits or '_' in any script, so "ad" inside "bad" or "adore" does not count.
const DISCLOSURE_WORD = /(?<![\p{L}\p{N}_])(ad|sponsored|advertisement)(?![\p{L}\p{N}_])/iu;

export function disclosureQualifies(disclosure: string): boolean {
  return DISCLOSURE_WORD.test(disclosure);
}
