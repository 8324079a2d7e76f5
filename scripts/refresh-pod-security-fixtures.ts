// npm run refresh-pod-security-fixtures [-- <module version>]
// Copies upstream's Pod Security test pods (the generated pass/fail fixtures of
// k8s.io/pod-security-admission, test/testdata/<level>/v1.34/) into
// test/fixtures/pod-security/ with the module's LICENSE, records what upstream's
// own evaluator says of each pod (admission-messages.json), and writes SHA256SUMS
// and a README naming the origin. Needs Go and the Go module proxy; everything Go
// downloads or builds stays in a temporary GOPATH/GOMODCACHE that is removed
// afterwards. Only the YAML test data is copied, no Go code.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const MODULE = 'k8s.io/pod-security-admission';
/** Newest v0.34 patch on the proxy when the fixtures were last refreshed (`go list -m -versions k8s.io/pod-security-admission`). */
const DEFAULT_VERSION = 'v0.34.13';
/** The Kubernetes minor whose policy the checker implements. */
const KUBERNETES = 'v1.34';
const LEVELS = ['baseline', 'restricted'];
const OUTCOMES = ['pass', 'fail'];
const target = join(ROOT, 'test', 'fixtures', 'pod-security');
const version = process.argv[2] ?? DEFAULT_VERSION;

/**
 * A program (ours, not upstream's) that runs the module's evaluator on each pod file
 * given, at level restricted and version latest as `restricted:latest` does, and
 * prints, per file, the forbidden checks as the admission controller words them
 * (`<reason> (<detail>)`, in its order).
 */
const EVALUATE_GO = `package main

import (
	"encoding/json"
	"os"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

func main() {
	evaluator, err := policy.NewEvaluator(policy.DefaultChecks())
	if err != nil {
		panic(err)
	}
	level := api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}
	out := map[string][]string{}
	for _, file := range os.Args[1:] {
		data, err := os.ReadFile(file)
		if err != nil {
			panic(err)
		}
		var pod corev1.Pod
		if err := yaml.UnmarshalStrict(data, &pod); err != nil {
			panic(file + ": " + err.Error())
		}
		messages := []string{}
		for _, result := range evaluator.EvaluatePod(level, &pod.ObjectMeta, &pod.Spec) {
			if !result.Allowed {
				message := result.ForbiddenReason
				if result.ForbiddenDetail != "" {
					message += " (" + result.ForbiddenDetail + ")"
				}
				messages = append(messages, message)
			}
		}
		out[file] = messages
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
`;

interface Download {
  readonly Path: string;
  readonly Version: string;
  readonly Dir: string;
  readonly Sum: string;
  readonly Error?: string;
}

const work = mkdtempSync(join(tmpdir(), 'pod-security-fixtures-'));
// A throwaway module cache, writable so that it can be removed; the local Go only.
const env = { ...process.env, GOPATH: join(work, 'gopath'), GOMODCACHE: join(work, 'mod'), GOFLAGS: '-modcacherw', GOTOOLCHAIN: 'local', GO111MODULE: 'on' };
const run = (cwd: string, command: string, ...args: string[]): string =>
  execFileSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
const go = (cwd: string, ...args: string[]): string => run(cwd, 'go', ...args);

try {
  const download = JSON.parse(go(work, 'mod', 'download', '-json', `${MODULE}@${version}`)) as Download;
  if (download.Error) throw new Error(`go mod download ${MODULE}@${version}: ${download.Error}`);

  // Everything is written to a staging folder first; test/fixtures/pod-security/ is
  // replaced only once all of it, upstream's verdicts included, is there.
  const stage = join(work, 'pod-security');
  const sums: string[] = [];
  const write = (to: string, data: Buffer | string): void => {
    mkdirSync(join(stage, to, '..'), { recursive: true });
    writeFileSync(join(stage, to), data);
    sums.push(`${createHash('sha256').update(data).digest('hex')}  ./${to}`);
  };
  // Contents only: the module cache's files are read-only, the copies need not be.
  write('LICENSE', readFileSync(join(download.Dir, 'LICENSE')));
  const pods: string[] = [];
  const counts: string[] = [];
  for (const level of LEVELS) {
    for (const outcome of OUTCOMES) {
      const folder = `${level}/${KUBERNETES}/${outcome}`;
      const names = readdirSync(join(download.Dir, 'test', 'testdata', folder)).filter((n) => n.endsWith('.yaml')).sort();
      for (const name of names) write(`${folder}/${name}`, readFileSync(join(download.Dir, 'test', 'testdata', folder, name)));
      pods.push(...names.map((name) => `${folder}/${name}`));
      counts.push(`| \`${folder}/\` | ${names.length} |`);
    }
  }

  const program = join(work, 'evaluate');
  mkdirSync(program);
  writeFileSync(join(program, 'main.go'), EVALUATE_GO);
  go(program, 'mod', 'init', 'evaluate');
  go(program, 'get', `${MODULE}@${download.Version}`);
  go(program, 'mod', 'tidy');
  go(program, 'build', '-o', join(program, 'evaluate'), '.');
  const verdicts = JSON.parse(run(stage, join(program, 'evaluate'), ...pods)) as Record<string, string[]>;
  write('admission-messages.json', `${JSON.stringify(Object.fromEntries(pods.map((pod) => [pod, verdicts[pod]])), null, 2)}\n`);

  writeFileSync(join(stage, 'SHA256SUMS'), `${sums.join('\n')}\n`);
  writeFileSync(join(stage, 'README.md'), [
    '# Pod Security fixtures (upstream test data)',
    '',
    'Written by `npm run refresh-pod-security-fixtures`; do not edit.',
    '',
    `- \`<level>/${KUBERNETES}/{pass,fail}/*.yaml\`: the generated pass/fail pods of the Go module`,
    `  \`${download.Path}\` **${download.Version}** (module sum \`${download.Sum}\`), copied unchanged`,
    `  from its folder \`test/testdata/<level>/${KUBERNETES}/{pass,fail}/\` (fetched with`,
    '  `go mod download` from the Go module proxy; the module is the published copy of',
    '  `staging/src/k8s.io/pod-security-admission` of kubernetes/kubernetes). Upstream names each',
    '  file `<check id, lower case><n>.yaml` after the check it exercises; `base*.yaml` are the',
    '  minimal valid pods. `baseline` pods are built on a pod that meets baseline only,',
    '  `restricted` pods on one that meets restricted.',
    '- `LICENSE`: the module\'s license, Apache-2.0, which covers the pods.',
    '- `admission-messages.json`: for every pod above, what the module\'s own evaluator',
    '  (`policy.NewEvaluator(policy.DefaultChecks())`, level restricted, version latest) forbids,',
    '  one `<reason> (<detail>)` per check in its order: the parts the admission controller joins',
    '  into `violates PodSecurity "restricted:latest": ...`. Written by a small Go program of the',
    '  refresh script, built and run in the temporary GOPATH. The evaluator sees the files as they',
    '  are, without the API server\'s defaulting.',
    '',
    'Only YAML test data is copied, no Go code. `test/unit/pod-security-upstream.test.ts` runs',
    'the checker on every pod.',
    '',
    '| folder | pods |',
    '| --- | --- |',
    ...counts,
    '',
    'Check them with `cd test/fixtures/pod-security && sha256sum -c SHA256SUMS`.',
    '',
  ].join('\n'));
  rmSync(target, { recursive: true, force: true });
  cpSync(stage, target, { recursive: true });
  console.log(`copied ${pods.length} pods of ${download.Path}@${download.Version} to ${target}, with upstream's verdicts`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
