/**
 * RFC 5545 §3.1: content lines longer than 75 octets are folded (CRLF + one space). The `ics`
 * library folds at 75 *characters*, so a line of Chinese (3 octets each) reached ~200 octets
 * and strict clients cut it. Unfold, then fold again by octets, never inside a character.
 */
const MAX_OCTETS = 75;
const encoder = new TextEncoder();

export function foldIcsLines(text: string): string {
  const lines = text.replace(/\r\n[ \t]/g, "").split("\r\n");
  return lines.map(foldLine).join("\r\n");
}

function foldLine(line: string): string {
  if (encoder.encode(line).length <= MAX_OCTETS) return line;
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  // Continuation lines start with a space, which counts toward their 75.
  let limit = MAX_OCTETS;
  for (const ch of line) {
    const n = encoder.encode(ch).length;
    if (octets + n > limit) {
      parts.push(current);
      current = "";
      octets = 0;
      limit = MAX_OCTETS - 1;
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join("\r\n ");
}
