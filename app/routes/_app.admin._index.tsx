/** 管理: the admin's pages in one place, so the top navigation stays short on an office screen. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { may } from "~/domain/permissions";
import { ADMIN_SECTIONS } from "~/domain/roles";
import { PageHeader } from "~/ui/layout";

export const meta: MetaFunction = () => [{ title: "管理 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sections = ADMIN_SECTIONS.filter((s) => may(user, s.permission));
  if (!sections.length) throw new Response("您没有访问此页面的权限。", { status: 403 });
  return { sections };
}

export default function Admin() {
  const { sections } = useLoaderData<typeof loader>();
  return (
    <>
      <PageHeader title="管理" />
      <ul className="grid grid-cols-1 gap-3 md:grid-cols-2">
        {sections.map((s) => (
          <li key={s.to} className="card">
            <Link to={s.to} className="text-lg font-medium">
              {s.label}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{s.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
