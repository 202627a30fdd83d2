/** A real SMTP server on a free local port that keeps every message it receives (for the e-mail notice tests). */
import type net from "node:net";
import { SMTPServer } from "smtp-server";

/** `refuse`: recipients answered 550 (no such mailbox), as a real server answers a mistyped address. */
export async function startMailSink(
  /** `refuseWith`: the refusal's code and words (default 550 No such mailbox). */
  opts: { refuse?: (address: string) => boolean; refuseWith?: { code: number; message: string }; refuseSender?: boolean } = {},
): Promise<{ received: string[]; url: string; close: () => Promise<void> }> {
  const received: string[] = [];
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onMailFrom(_address, _s, cb) {
      if (opts.refuseSender) return cb(Object.assign(new Error("Sender address rejected"), { responseCode: 550 }));
      cb();
    },
    onRcptTo(address, _s, cb) {
      if (opts.refuse?.(address.address)) return cb(Object.assign(new Error(opts.refuseWith?.message ?? "No such mailbox"), { responseCode: opts.refuseWith?.code ?? 550 }));
      cb();
    },
    onData(stream, _s, cb) {
      let body = "";
      stream.on("data", (c) => (body += c));
      stream.on("end", () => {
        received.push(body);
        cb();
      });
    },
  });
  await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
  const port = (sink.server.address() as net.AddressInfo).port;
  return { received, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => sink.close(() => r())) };
}
