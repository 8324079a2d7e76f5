// Notifications: failed chart source, chart and release events to Discord
// (Provider + Alert), and a webhook that reconciles the chart source at once
// (Receiver). The webhook address and the receiver token are Secrets in
// secrets/homelab/dash/, SOPS-encrypted: only their names are here.
//   npm run synth -- examples/notifications.ts → examples/dist/notifications/
import { FluxApp, HelmApp, HEADLAMP_CHART_REPOSITORY, HEADLAMP_CHART_VERSION, NotificationAlert, NotificationProvider, NotificationReceiver } from '../lib';
import { hardenedValues } from '../lib/apps/headlamp/hardened-values';

const app = new FluxApp({ distPath: 'examples/dist/notifications' });
new HelmApp(app, 'dash', {
  name: 'dash',
  chart: { name: 'headlamp', repository: HEADLAMP_CHART_REPOSITORY, version: HEADLAMP_CHART_VERSION },
  defaultValues: hardenedValues(),
  secrets: true, // the Provider's and Receiver's Secrets, applied before the app
  tunnel: false,
  route: false,
  addons: ({ app: name, namespace, file }) => {
    const notifications = file('notifications');
    const repository = { kind: 'HelmRepository', name, namespace };
    const discord = new NotificationProvider(notifications, 'Discord', { name: 'discord', namespace, type: 'discord', secretName: 'discord-webhook' });
    new NotificationAlert(notifications, 'Alert', {
      name: `${name}-failures`,
      namespace,
      provider: discord,
      // helm-controller names the HelmChart it makes <namespace>-<release>.
      sources: [repository, { kind: 'HelmChart', name: `${namespace}-${name}`, namespace }, { kind: 'HelmRelease', name, namespace }],
      eventSeverity: 'error',
      exclusionList: ['.*no changes since last reconcil.*'],
      summary: 'cluster homelab',
    });
    const receiver = new NotificationReceiver(notifications, 'Receiver', {
      name: `${name}-chart`,
      namespace,
      type: 'generic',
      secretName: 'dash-webhook-token',
      resources: [repository],
    });
    return receiver.runbook();
  },
});
app.synth();
