/**
 * Fallback for machines without GNU time: `node rss-wrapper.js <report> <script> ...args` runs
 * the Node program as the main module of this process and, when the process exits, writes its peak RSS in KiB
 * (`process.resourceUsage().maxRSS`) to <report>, the figure `/usr/bin/time -f %M` gives.
 */
import { writeFileSync } from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';

const [report, script, ...args] = process.argv.slice(2);
process.on('exit', () => writeFileSync(report, `${process.resourceUsage().maxRSS}\n`));
process.argv = [process.argv[0], path.resolve(script), ...args];
// Loads process.argv[1] as the main module, so `require.main === module` holds inside it.
(Module as unknown as { runMain(): void }).runMain();
