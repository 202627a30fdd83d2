/**
 * The punctuation a search is split on and the proposal search ignores: a 案由 quotes its names
 * (专精特新“小巨人”企业), and 专精特新小巨人 typed without the quotes must find it. One list for the
 * search terms (JavaScript) and the stripped text with its trigram index (SQL, db/schema.ts).
 */
const PUNCTUATION = "“”‘’\"'《》〈〉「」『』（）()【】[]、，,。；;：:！!？?·…—";

/** Spaces and punctuation: where a search is cut into terms, each looked for on its own. */
export const SEARCH_TERM_SEPARATORS = new RegExp(`[\\s${PUNCTUATION.replace(/[\]\\[]/g, (c) => `\\${c}`)}]+`, "u");

/**
 * The same punctuation as a PostgreSQL regular expression, as an SQL literal. ASCII marks are written
 * as \uXXXX escapes: drizzle-kit reads an index's expression back cut at ";" and ",", and no quote
 * needs doubling. Spaces stay, so that terms do not join across words.
 */
export const SEARCH_PUNCTUATION_SQL = `'[${[...PUNCTUATION].map((c) => (c.charCodeAt(0) < 0x80 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}` : c)).join("")}]'`;
