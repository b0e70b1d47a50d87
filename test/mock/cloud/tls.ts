// Placeholder until the mesh CA lands: TLS resources get no realistic outputs yet.
import type { Handler } from "../engine";

export const tlsHandlers: Record<string, Handler> = {};
