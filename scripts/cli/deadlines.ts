/** CLI commands for the deadlines (see scripts/cli.ts for how they are wired). */
import type { Command } from "./command";

export const deadlinesCommands: Record<string, Command> = {};
