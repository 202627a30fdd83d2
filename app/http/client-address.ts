/** The server (scripts/server.ts) puts the client's address in this header, overwriting anything a client sent. */
export const CLIENT_ADDRESS_HEADER = "x-prd-client-address";

export function clientAddressOf(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) ?? "unknown";
}
