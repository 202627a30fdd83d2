/** Typed input from Chinese input methods. */

/**
 * Full-width digits and the marks typed with them (－ ＋ （ ） ／ ．) as their ASCII forms: a
 * Chinese input method types "２８６８５０２０" or "２０２７－０１－１５" — the same number or
 * date, refused as invalid before. Only these: NFKC on the whole text would change 〔〕 and more.
 */
export function foldFullWidthDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19\uFF0D\uFF0B\uFF08\uFF09\uFF0F\uFF0E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}
