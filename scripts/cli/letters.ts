/** CLI commands for the letters (see scripts/cli.ts for how they are wired). */
import type { Command } from "./command";

export const lettersCommands: Record<string, Command> = {};
