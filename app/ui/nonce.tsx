/**
 * The Content-Security-Policy nonce of this response (scripts/server.ts makes one per request),
 * for the inline scripts Remix and React write. In the browser it is "" (browsers hide it).
 */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
