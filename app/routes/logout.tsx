import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "~/auth/session.server";

export async function loader() {
  throw redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  throw redirect("/login", { headers: { "Set-Cookie": await signOut(request) } });
}
