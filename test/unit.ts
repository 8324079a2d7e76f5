// npm run test:unit: every test file under test/unit/, in this one process
// (node --test would start a process, and load tsx and cdk8s, per file).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, 'unit');
for (const file of readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort()) require(join(dir, file));
