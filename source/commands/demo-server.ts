import { DEMO_SERVER_USAGE, runDemoServerCommand } from '../demo-server/command.js';

// The demo server is also a program of its own (demo-server/main.ts), so its flags live beside it.
export const help = DEMO_SERVER_USAGE;

/** `mcp-load-explorer demo-server …`: runs until SIGINT/SIGTERM (or stdin closes); returns the exit code. */
export const run = (args: readonly string[]): Promise<number> => runDemoServerCommand([...args]);
