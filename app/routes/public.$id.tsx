/** /public/:id — one published reply, in its public version (app/domain/redaction.ts); no sign-in. */
import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { LetterPreview } from "~/letters/LetterPreview";
import { publicCacheHeaders } from "~/http/public-cache.server";
import { printAvailable } from "~/letters/print.server";
import { publishedReplyForRequest, publishedRounds } from "~/models/public-reply.server";
import { replyNumbersOf } from "~/models/reply-rounds.server";
import { replyLabels } from "~/domain/reply-rounds";
import { PublicErrorBoundary, PublicLayout } from "~/ui/public-layout";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `第${data.proposal.number}号提案答复 · 政协提案答复公开` : "政协提案答复公开" }];

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const cache = await publicCacheHeaders(request);
  const db = await getDb();
  const reply = await publishedReplyForRequest(db, request, params.id);
  const [published, numbers] = await Promise.all([publishedRounds(db, reply.proposal.id), replyNumbersOf(db, reply.proposal.id)]);
  const labels = replyLabels(published, numbers);
  const rounds = published.map((r, i) => ({ ...r, label: labels[i]! }));
  return data({ ...reply, rounds, pdf: printAvailable() }, { headers: cache });
}

export default function PublicReply() {
  const { proposal, letter, redacted, pdf, round, rounds } = useLoaderData<typeof loader>();
  const latest = rounds[0]?.round ?? round;
  const q = round === latest ? "" : `?round=${round}`;
  return (
    <PublicLayout>
      <nav className="no-print mb-3 text-sm">
        <Link to="/public">← 返回答复列表</Link>
      </nav>
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">{proposal.title}</h1>
          <p className="mt-1 text-sm text-slate-600">
            {proposal.meeting} · 第{proposal.number}号提案{proposal.documentNumber ? ` · ${proposal.documentNumber}` : ""}
          </p>
        </div>
        <div className="no-print flex gap-2">
          <a href={`/public/${proposal.id}.docx${q}`} className="btn-secondary" download>
            下载 Word 文件
          </a>
          {pdf ? (
            <a href={`/public/${proposal.id}.pdf${q}`} className="btn-secondary" download>
              下载 PDF
            </a>
          ) : null}
        </div>
      </div>
      {rounds.length > 1 ? (
        <nav aria-label="本提案的各次答复" className="no-print mb-3 rounded border border-slate-300 bg-white px-3 py-2 text-sm">
          本提案经再办理，共有 {rounds.length} 份公开答复：
          {rounds.map((r) => (
            <span key={r.round} className="ml-2">
              {r.round === round ? (
                <strong aria-current="page">{`${r.label} ${r.documentNumber ?? ""}`}</strong>
              ) : (
                <Link to={r.round === latest ? `/public/${proposal.id}` : `/public/${proposal.id}?round=${r.round}`} className="underline">
                  {`${r.label} ${r.documentNumber ?? ""}`}
                </Link>
              )}
            </span>
          ))}
        </nav>
      ) : null}
      {redacted ? (
        <p className="mb-3 rounded border border-slate-300 bg-white px-3 py-2 text-sm text-slate-700" role="note">
          本答复中的部分内容已按规定隐去，以“■”表示。
        </p>
      ) : null}
      {/* an A4 sheet; on a phone it reflows to the screen (.letter-reflow); a wide table still scrolls — by keyboard too (a focusable region) */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard (WCAG 2.1.1) */}
      <section className="overflow-x-auto pb-6" tabIndex={0} aria-label="答复函全文">
        <LetterPreview letter={letter} className="letter-reflow" />
      </section>
    </PublicLayout>
  );
}

export { PublicErrorBoundary as ErrorBoundary };
