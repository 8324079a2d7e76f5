// The homelab example: `npm run synth` (or `npx cdk8s synth`) publishes the Flux tree to dist/.
import { FluxApp, HeadlampStack } from './lib';

const app = new FluxApp();
new HeadlampStack(app, 'headlamp', { hostname: 'headlamp.example.net' });
app.synth();
