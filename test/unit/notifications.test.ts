// Provider, Alert and Receiver: what they synthesize, and the inputs they refuse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationAlert, NotificationAlertProps, NotificationProvider, NotificationReceiver, NotificationReceiverProps } from '../../lib';
import { apiSchemaViolations } from '../../lib/policy/api-schema';
import { K8sObject, synthChart } from '../helpers';

const repository = { kind: 'HelmRepository', name: 'dash', namespace: 'dash' };
const release = { kind: 'HelmRelease', name: 'dash', namespace: 'dash' };
const schemaClean = (objects: K8sObject[]) => objects.forEach((o) => assert.deepEqual(apiSchemaViolations(o), [], `${o.kind} ${o.metadata.name}`));

function alert(props: Partial<NotificationAlertProps> = {}): K8sObject[] {
  return synthChart((scope) => {
    const provider = new NotificationProvider(scope, 'discord', { namespace: 'dash', type: 'discord', secretName: 'discord-webhook' });
    new NotificationAlert(scope, 'failures', { namespace: 'dash', provider, sources: [repository, { kind: 'HelmChart', name: 'dash-dash', namespace: 'dash' }, release], ...props });
  });
}

function receiver(props: Partial<NotificationReceiverProps> = {}): K8sObject[] {
  return synthChart((scope) => {
    new NotificationReceiver(scope, 'chart', { namespace: 'dash', type: 'github', secretName: 'webhook-token', resources: [repository], ...props });
  });
}

describe('notifications', () => {
  it('a Provider reads its address from a Secret, and an Alert sends the chart source, chart and release events to it', () => {
    const [provider, sent] = alert({ eventSeverity: 'info', exclusionList: ['waiting.*'], summary: 'homelab' });
    assert.equal(provider.apiVersion, 'notification.toolkit.fluxcd.io/v1beta3');
    assert.deepEqual(provider.spec, { type: 'discord', secretRef: { name: 'discord-webhook' } });
    assert.equal(sent.apiVersion, 'notification.toolkit.fluxcd.io/v1beta3');
    assert.deepEqual(sent.spec, {
      providerRef: { name: 'discord' },
      eventSeverity: 'info',
      eventSources: [repository, { kind: 'HelmChart', name: 'dash-dash', namespace: 'dash' }, release],
      exclusionList: ['waiting.*'],
      summary: 'homelab',
    });
    assert.equal(alert()[1].spec.eventSeverity, 'error', 'errors only by default');
    schemaClean([provider, sent]);
  });

  it('a Receiver reconciles the chart source, its token in a Secret, GitHub events ping and push by default', () => {
    const [github] = receiver();
    assert.equal(github.apiVersion, 'notification.toolkit.fluxcd.io/v1');
    assert.deepEqual(github.spec, { type: 'github', events: ['ping', 'push'], secretRef: { name: 'webhook-token' }, resources: [repository] });
    assert.deepEqual(receiver({ type: 'harbor' })[0].spec, { type: 'harbor', secretRef: { name: 'webhook-token' }, resources: [repository] });
    assert.equal(receiver({ type: 'generic' })[0].spec.events, undefined);
    schemaClean(receiver());
  });

  it('the runbook says how to find the webhook URL and what a call does', () => {
    let text = '';
    synthChart((scope) => {
      text = new NotificationReceiver(scope, 'chart', { namespace: 'dash', type: 'generic', secretName: 'webhook-token', resources: [repository] }).runbook().sections!.flat().join('\n');
    });
    assert.match(text, /kubectl -n dash get receiver chart -o jsonpath='\{\.status\.webhookPath\}'/);
    assert.match(text, /flux reconcile source helm dash -n dash/);
  });

  it('refuses unknown types and kinds, a Provider in another namespace, a bad exclusion and empty lists, all at once', () => {
    assert.throws(() => synthChart((scope) => new NotificationProvider(scope, 'p', { namespace: 'dash', type: 'discrod', secretName: 's' })), /type: Unsupported value: "discrod": supported values: "slack", "discord"/);
    assert.throws(() => alert({ sources: [{ kind: 'Deployment', name: 'x', namespace: 'dash' }], exclusionList: ['('] }), (error: Error) => {
      assert.match(error.message, /sources\[0\]\.kind: Unsupported value: "Deployment"/);
      assert.match(error.message, /exclusionList\[0\]: Invalid value: "\(": not a regular expression/);
      return true;
    });
    assert.throws(() => alert({ sources: [] }), /sources is empty/);
    assert.throws(() => synthChart((scope) => new NotificationAlert(scope, 'a', { namespace: 'dash', provider: { name: 'p', namespace: 'other' }, sources: [release] })), /an Alert refers to a Provider in its own namespace \("dash"\)/);
    assert.throws(() => receiver({ type: 'gitlab' as 'github' }), /type: Unsupported value: "gitlab": supported values: "generic", "github", "harbor"/);
    assert.throws(() => receiver({ resources: [] }), /resources is empty/);
    assert.throws(() => receiver({ secretName: 'Token' }), /secretName: Invalid value: "Token"/);
  });
});
