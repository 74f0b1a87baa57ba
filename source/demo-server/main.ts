import { runDemoServerCommand } from './command.js';

// Standalone entry (`node --import tsx source/demo-server/main.ts --stdio …`), used to spawn stdio sessions.
process.exitCode = await runDemoServerCommand(process.argv.slice(2));
