/**
 * The letter's layout figures (GB/T 9704-2012 letter format), in twips unless named otherwise:
 * one source for the DOCX renderer (docx.server.ts) and the HTML preview (LetterPreview.tsx),
 * so the preview cannot drift from the document. Browser-safe.
 */

/** Millimetres → twips, rounded (docx's own helper truncates: 37 mm must be 2098). */
export const mm = (v: number): number => Math.round((v * 1440) / 25.4);

export const LAYOUT = {
  page: { width: 11906, height: 16838 },
  margin: { top: mm(37), left: mm(28), right: mm(26), bottom: mm(35) }, // 2098 / 1587 / 1474 / 1984
  /** 22 lines a page: 225 mm / 22 = 10.2 mm = 28.95 pt. */
  line: 579,
  /** The type area's height, 225 mm (297 − 37 − 35). */
  typeAreaHeight: mm(225),
  /** 三号 16 pt. */
  bodySize: 32,
  /** 二号 22 pt. */
  titleSize: 44,
  /** 四号 14 pt. */
  pageNumberSize: 28,
  /** The authority mark: 小标宋, red. The standard leaves its size to the bureau. */
  markSize: 64,
  /** Two 三号 characters. */
  firstLine: 640,
  /**
   * −0.3 pt between characters, so that 28 三号 characters fit the 156 mm line
   * (16 pt × 28 = 448 pt > 442 pt) without a character grid, which LibreOffice renders badly.
   * At −0.25 pt a 28th character that is a 、/， ends exactly at the edge: LibreOffice then
   * treats it as hanging punctuation and, in a justified line, does not draw it at all.
   */
  bodyCharSpacing: -6,
  red: "FF0000",
} as const;

/** Twips → points (CSS), for the HTML preview. */
export const pt = (twips: number): string => `${twips / 20}pt`;
/** Twips → millimetres (CSS). */
export const twipsToMm = (twips: number): string => `${((twips * 25.4) / 1440).toFixed(2)}mm`;
