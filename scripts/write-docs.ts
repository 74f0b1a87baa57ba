import { writeFile } from 'node:fs/promises';
import { FLAGS_DOC, renderFlagsDoc } from './flags-doc.js';

// `npm run docs`: rewrites the generated pages; test/cli-surface.test.ts fails when they are stale.
await writeFile(new URL(`../${FLAGS_DOC}`, import.meta.url), await renderFlagsDoc());
console.log(`wrote ${FLAGS_DOC}`);
