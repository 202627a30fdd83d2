/**
 * Which reply a letter round is. A round after 更正 re-issues the same reply (a corrected letter
 * replaces one not yet sent); only 再办理 starts a new reply. So the reply of a round is 1 + the
 * 再办理 begun before the round was started — "第2次答复" on the public site and in the proposer's
 * answers means the second reply, whatever corrections came between.
 */
export function replyNumbers(rounds: readonly { round: number; createdAt: Date }[], rehandlingStarts: readonly Date[]): Map<number, number> {
  const out = new Map<number, number>();
  let last = 1;
  for (const r of [...rounds].sort((a, b) => a.round - b.round)) {
    const n = 1 + rehandlingStarts.filter((at) => at.getTime() < r.createdAt.getTime()).length;
    last = Math.max(last, n);
    out.set(r.round, last);
  }
  return out;
}

/**
 * Labels for the published replies, newest first. Where the history cannot tell them apart
 * (data imported without it), they are numbered by their order.
 */
export function replyLabels(published: readonly { round: number }[], numbers: ReadonlyMap<number, number>): string[] {
  const n = published.map((p) => numbers.get(p.round) ?? 0);
  const distinct = new Set(n).size === n.length && n.every((x) => x > 0);
  return published.map((_, i) => (i === 0 ? "最新答复" : `第${distinct ? n[i] : published.length - i}次答复`));
}
