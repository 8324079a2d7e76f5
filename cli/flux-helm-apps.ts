#!/usr/bin/env node
// flux-helm-apps <command> (the package's bin; npm run validate, plan, doctor and init-secrets run it too).
import { main } from './main';

process.exitCode = main(process.argv.slice(2));
