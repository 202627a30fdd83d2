/**
 * Letter → HTML: an A4-looking preview of the same `Letter` value that
 * docx.server.ts renders (one value, two renderings). Browser-safe, plain
 * inline styles, sizes in mm/pt so that the sheet prints close to the DOCX.
 *
 * Sizes come from the renderer's figures (./layout.ts). The preview is one continuous sheet:
 * it does not paginate, so it shows the red line under the mark but not the page-1 footer line
 * or page numbers; the real pages are the print preview (app/ui/print-preview.tsx).
 */
import type { CSSProperties, ReactNode } from "react";
import { addresseeLine, disclosureLine, formatLetterDate, sanitizeText, splitParagraphs, titleLinesOf, type Letter, type LetterBlock } from "../domain/letter";
import { printedSignatureLines, stripRedactionMarks } from "../domain/redaction";
import { LAYOUT, pt, twipsToMm } from "./layout";

const FONT = {
  fangsong: '"仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", serif',
  xiaobiaosong: '"方正小标宋简体", "FZXiaoBiaoSong-B05S", "小标宋", "华文中宋", "STZhongsong", "Noto Serif CJK SC", "Source Han Serif SC", "宋体", "SimSun", serif',
  heiti: '"黑体", "SimHei", "STHeiti", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif',
  kaiti: '"楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", serif',
};

const RED = `#${LAYOUT.red}`;
/** 22 lines on 225 mm. */
const LINE = pt(LAYOUT.line);
const BODY = pt(LAYOUT.bodySize * 10);

const sheet: CSSProperties = {
  position: "relative",
  boxSizing: "border-box",
  width: "210mm",
  minHeight: "297mm",
  margin: "0 auto",
  padding: `0 ${twipsToMm(LAYOUT.margin.right)} ${twipsToMm(LAYOUT.margin.bottom)} ${twipsToMm(LAYOUT.margin.left)}`,
  background: "#fff",
  color: "#000",
  boxShadow: "0 1px 4px rgba(0,0,0,.25)",
  fontFamily: FONT.fangsong,
  fontSize: BODY,
  lineHeight: LINE,
  textAlign: "justify",
  overflowWrap: "anywhere",
  // 28 characters of 16 pt on a 156 mm line, as in the DOCX
  letterSpacing: pt(LAYOUT.bodyCharSpacing),
  // every punctuation mark a full character, as printed: Chromium squeezed 》、《 and the lines held
  // 29 characters, so the preview's lines broke elsewhere than the print's
  ...({ textSpacingTrim: "space-all" } as CSSProperties),
};

const markBlock: CSSProperties = {
  // top edge of the mark 30 mm from the top of the page
  paddingTop: "30mm",
  margin: "0 -6mm 0 -8mm", // the red line is 170 mm long, centred on the page
  textAlign: "center",
};

const mark: CSSProperties = {
  fontFamily: FONT.xiaobiaosong,
  fontSize: pt(LAYOUT.markSize * 10),
  lineHeight: 1,
  color: RED,
  letterSpacing: 0,
  whiteSpace: "nowrap",
};

const rule: CSSProperties = {
  // 4 mm under the mark: thick over thin
  marginTop: "4mm",
  height: 0,
  borderTop: `2.25pt solid ${RED}`,
  borderBottom: `0.75pt solid ${RED}`,
  paddingTop: "1pt",
};

const p = (extra: CSSProperties = {}): CSSProperties => ({ margin: 0, textIndent: "2em", whiteSpace: "pre-wrap", ...extra });

const styles = {
  // 1 mm: with the mark block above, this puts the title and the addressee within 1 mm of the DOCX as LibreOffice prints it
  number: p({ textIndent: 0, textAlign: "right", marginTop: "1mm" }),
  title: {
    // as the DOCX: two lines under the number, one line above the addressee
    margin: `${pt(2 * LAYOUT.line)} 0 ${LINE}`,
    fontFamily: FONT.xiaobiaosong,
    fontSize: pt(LAYOUT.titleSize * 10),
    fontWeight: "normal",
    lineHeight: LINE,
    letterSpacing: 0,
    textAlign: "center",
  } satisfies CSSProperties,
  addressee: p({ textIndent: 0, textAlign: "left" }),
  body: p(),
  h1: p({ fontFamily: FONT.heiti, fontWeight: "normal" }),
  h2: p({ fontFamily: FONT.kaiti, fontWeight: "normal" }),
  lead1: { fontFamily: FONT.heiti, fontWeight: "bold" } satisfies CSSProperties,
  lead2: { fontFamily: FONT.kaiti, fontWeight: "bold" } satisfies CSSProperties,
  signature: p({ textAlign: "left" }),
  seal: p({ textIndent: 0, textAlign: "center" }),
  date: p({ textIndent: 0, textAlign: "center", whiteSpace: "nowrap" }),
  caption: p({ textIndent: 0, textAlign: "center", fontFamily: FONT.heiti }),
  table: { width: "100%", borderCollapse: "collapse", fontSize: "14pt", lineHeight: "20pt", margin: "0 0 0 0" } satisfies CSSProperties,
  cell: { border: "0.5pt solid #000", padding: "1mm 1.5mm", verticalAlign: "middle", textAlign: "left" } satisfies CSSProperties,
};

/** A light-grey 草稿 repeated once per A4 height, behind the text. */
const DRAFT_BACKGROUND = `url("data:image/svg+xml,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297">` +
    `<text x="105" y="160" font-size="70" text-anchor="middle" fill="#000" fill-opacity="0.08" ` +
    `font-family="SimHei, 'Noto Sans CJK SC', sans-serif" transform="rotate(-35 105 150)">草稿</text></svg>`,
)}")`;

function Text({ children }: { children: string }) {
  // the official text: 〖〗 redaction marks dropped (the public version has already replaced them)
  return <>{stripRedactionMarks(sanitizeText(children))}</>;
}

function Block({ block }: { block: LetterBlock }): ReactNode {
  switch (block.type) {
    case "heading":
      return (
        // biome-ignore lint/a11y/useSemanticElements: the preview mirrors the DOCX paragraph by paragraph; role and level give the outline
        <p style={block.level === 1 ? styles.h1 : styles.h2} role="heading" aria-level={block.level + 2}>
          <Text>{block.text}</Text>
        </p>
      );
    case "paragraph": {
      // a line break inside the text starts a new paragraph, as in the DOCX
      const texts = splitParagraphs(block.text);
      // an empty paragraph is a blank line in the DOCX, not nothing
      return (texts.length ? texts : [""]).map((t, i) => (
        <p key={i} style={{ ...styles.body, minHeight: LINE }}>
          {block.lead && i === 0 ? (
            <strong style={block.lead.level === 1 ? styles.lead1 : styles.lead2}>
              <Text>{block.lead.text}</Text>
            </strong>
          ) : null}
          <Text>{t}</Text>
        </p>
      ));
    }
    case "table": {
      const headerRows = block.headerRows ?? 0;
      const cols = Math.max(1, ...block.rows.map((r) => r.length));
      return (
        <>
          {block.caption ? (
            <p style={styles.caption}>
              <Text>{block.caption}</Text>
            </p>
          ) : null}
          <table style={styles.table}>
            {headerRows > 0 ? (
              <thead>
                {block.rows.slice(0, headerRows).map((r, ri) => (
                  <tr key={ri}>
                    {Array.from({ length: cols }, (_, ci) => (
                      <th key={ci} style={{ ...styles.cell, fontFamily: FONT.heiti, fontWeight: "normal", textAlign: "center" }}>
                        <Text>{r[ci] ?? ""}</Text>
                      </th>
                    ))}
                  </tr>
                ))}
              </thead>
            ) : null}
            <tbody>
              {block.rows.slice(headerRows).map((r, ri) => (
                <tr key={ri}>
                  {Array.from({ length: cols }, (_, ci) => (
                    <td key={ci} style={styles.cell}>
                      <Text>{r[ci] ?? ""}</Text>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {/* the DOCX's paragraph after a table (Word needs one): a blank line there, so here too */}
          <p style={{ ...styles.body, minHeight: LINE }} aria-hidden="true" />
        </>
      );
    }
  }
}

export interface LetterPreviewProps {
  letter: Letter;
  className?: string;
  style?: CSSProperties;
}

export function LetterPreview({ letter, className, style }: LetterPreviewProps) {
  const titleLines = titleLinesOf(letter);
  const signature = printedSignatureLines(letter);
  const disclosure = disclosureLine(letter);
  return (
    <article
      lang="zh-CN"
      aria-label={stripRedactionMarks(sanitizeText(letter.title))}
      className={className}
      data-draft={letter.draft ? "true" : undefined}
      style={{
        ...sheet,
        ...(letter.draft ? { backgroundImage: DRAFT_BACKGROUND, backgroundRepeat: "repeat-y", backgroundSize: "210mm 297mm" } : {}),
        ...style,
      }}
    >
      <header style={markBlock} data-part="mark-block">
        <div style={mark} data-part="mark">
          <Text>{letter.authority}</Text>
        </div>
        <div style={rule} aria-hidden="true" />
      </header>
      <p style={styles.number}>{letter.documentNumber ? <Text>{letter.documentNumber}</Text> : "\u00A0"}</p>
      {/* h2: every page showing a letter has its own h1 (the proposal, the public reply's 案由) */}
      <h2 style={styles.title} data-part="title">
        {titleLines.map((l, i) => (
          <span key={i} style={{ display: "block" }}>
            <Text>{l}</Text>
          </span>
        ))}
      </h2>
      <p style={styles.addressee}>
        <Text>{addresseeLine(letter)}</Text>
      </p>
      {letter.opening.trim() ? (
        <p style={styles.body}>
          <Text>{letter.opening}</Text>
        </p>
      ) : null}
      {letter.sections.map((b, i) => (
        <Block key={i} block={b} />
      ))}
      {signature.length ? (
        <div style={{ marginTop: LINE }}>
          {signature.map((line, i) => (
            <p key={i} style={styles.signature}>
              <Text>{line}</Text>
            </p>
          ))}
        </div>
      ) : null}
      {/* seal centred over the date; the date stands four characters in from the right */}
      <div style={{ marginTop: LINE, textAlign: "right", paddingRight: "4em" }}>
        <div style={{ display: "inline-block", textAlign: "center" }}>
          <p style={styles.seal}>
            <Text>{letter.signature.sealLine}</Text>
          </p>
          {letter.date ? (
            <p style={styles.date}>
              <Text>{formatLetterDate(letter.date, letter.dateStyle)}</Text>
            </p>
          ) : (
            // the line the date takes once signed (the print keeps it empty, so its pages do not move)
            <p style={{ ...styles.date, color: "#94a3b8" }}>（签发时生成成文日期）</p>
          )}
        </div>
      </div>
      {disclosure ? (
        <p style={styles.signature}>
          <Text>{disclosure}</Text>
        </p>
      ) : null}
    </article>
  );
}

export default LetterPreview;
