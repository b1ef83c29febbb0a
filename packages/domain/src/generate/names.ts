/** A name as shown, and the ASCII form used in the email address. */
export interface NamePart {
  display: string;
  ascii: string;
}

const plain = (names: string): NamePart[] =>
  names.split(" ").map((name) => ({ display: name, ascii: name.toLowerCase() }));

// A few names with accents and apostrophes, so that generated files exercise UTF-8 and CSV
// quoting paths of the import.
export const FIRST_NAMES: readonly NamePart[] = [
  ...plain(
    "Olivia Liam Emma Noah Amelia Oliver Ava Elijah Sophia James Isabella William Mia Lucas " +
      "Charlotte Henry Harper Theodore Evelyn Mateo Aisha Omar Priya Arjun Mei Hiroshi Fatima " +
      "Kwame Ingrid Lars Chiara Marco Ana Diego Olga Ivan",
  ),
  { display: "Zoë", ascii: "zoe" },
  { display: "José", ascii: "jose" },
  { display: "Søren", ascii: "soren" },
  { display: "Chloé", ascii: "chloe" },
];

export const LAST_NAMES: readonly NamePart[] = [
  ...plain(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez " +
      "Lopez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris " +
      "Clark Lewis Walker Hall Young King Wright Khan Patel Tanaka Kim Rossi Novak",
  ),
  { display: "Müller", ascii: "mueller" },
  { display: "O'Brien", ascii: "obrien" },
  { display: "Nguyễn", ascii: "nguyen" },
  { display: "Sørensen", ascii: "sorensen" },
];

export const EMAIL_DOMAINS: readonly string[] = ["example.com", "example.net", "example.org"];
