/** CLI commands for the library (see scripts/cli.ts for how they are wired). */
import type { Command } from "./command";

export const libraryCommands: Record<string, Command> = {};
