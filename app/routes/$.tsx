/** Any unknown address: a proper 404 page via the root error boundary. */
export async function loader() {
  throw new Response("您访问的页面不存在。", { status: 404 });
}

export default function NotFound() {
  return null;
}
