import { Construct } from 'constructs';
import { Receiver as ReceiverL1, ReceiverSpecResourcesKind, ReceiverSpecType } from '../../imports/receiver-notification.toolkit.fluxcd.io';
import type { RunbookAddon } from '../app/runbook';
import { PropProblems } from '../props/prop-problems';
import { dnsLabelProblem, dnsSubdomainProblem } from '../props/prop-rules';
import { IFluxSource } from './flux-source';

/** Webhook senders a Receiver takes, each with the events Flux acts on by default. */
const TYPES: Record<string, { readonly type: ReceiverSpecType; readonly events: readonly string[] }> = {
  generic: { type: ReceiverSpecType.GENERIC, events: [] },
  github: { type: ReceiverSpecType.GITHUB, events: ['ping', 'push'] },
  harbor: { type: ReceiverSpecType.HARBOR, events: [] },
};

/** The `flux reconcile source <word>` of each source kind. */
const FLUX_SOURCE_WORDS: Record<string, string> = { HelmRepository: 'helm', OCIRepository: 'oci', GitRepository: 'git', Bucket: 'bucket', HelmChart: 'chart' };

const KINDS = new Map(Object.values(ReceiverSpecResourcesKind).map((k) => [k as string, k]));

export interface NotificationReceiverProps {
  /** Namespace of the Receiver and of its token Secret. */
  readonly namespace: string;

  /** Who calls the webhook: `generic` (any POST), `github` (signed with the token) or `harbor`. */
  readonly type: 'generic' | 'github' | 'harbor';

  /**
   * Secret in the namespace whose `token` key makes the webhook's path (and
   * checks GitHub's signature). It lives SOPS-encrypted in the app's secrets
   * folder: the construct takes only its name.
   */
  readonly secretName: string;

  /** What a call reconciles at once: the app's chart source (HelmRepository, OCIRepository, GitRepository, …). */
  readonly resources: readonly IFluxSource[];

  /**
   * Events acted on (GitHub's `X-GitHub-Event`).
   * @default - github: ping and push; others: every call
   */
  readonly events?: readonly string[];

  /**
   * Name of the Receiver.
   * @default - the construct id
   */
  readonly name?: string;
}

/**
 * A Flux Receiver (notification.toolkit.fluxcd.io/v1): a webhook that makes
 * Flux reconcile the chart source at once (a push to the chart's repository,
 * a new image in Harbor) instead of at its next interval.
 */
export class NotificationReceiver extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly secretName: string;
  private readonly resources: readonly IFluxSource[];

  public constructor(scope: Construct, id: string, props: NotificationReceiverProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.secretName = props.secretName;
    this.resources = props.resources;
    const known = TYPES[props.type];
    const problems = new PropProblems(`NotificationReceiver ${this.node.path}`);
    problems.add(dnsSubdomainProblem('name', this.name), dnsLabelProblem('namespace', this.namespace), dnsSubdomainProblem('secretName', props.secretName));
    if (known === undefined) problems.add(`type: Unsupported value: "${props.type}": supported values: ${Object.keys(TYPES).map((t) => `"${t}"`).join(', ')}`);
    if (props.resources.length === 0) problems.add('resources is empty: name the chart source a call should reconcile');
    props.resources.forEach((r, i) => {
      if (!KINDS.has(r.kind)) problems.add(`resources[${i}].kind: Unsupported value: "${r.kind}": supported values: ${[...KINDS.keys()].map((k) => `"${k}"`).join(', ')}`);
    });
    problems.throwIfAny();
    const events = props.events ?? known.events;
    new ReceiverL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        type: known.type,
        ...(events.length > 0 ? { events: [...events] } : {}),
        secretRef: { name: props.secretName },
        resources: props.resources.map((r) => ({ kind: KINDS.get(r.kind)!, name: r.name, namespace: r.namespace })),
      },
    });
  }

  /** What the runbook says of it: where its webhook URL comes from, with the real names. */
  public runbook(): RunbookAddon {
    const ns = this.namespace;
    return {
      rows: [['Webhook receiver', `Receiver \`${ns}/${this.name}\`, token Secret \`${this.secretName}\``]],
      sections: [[
        `## Webhook receiver \`${this.name}\``,
        '',
        'The URL to give the sender is notification-controller\'s webhook address plus the path Flux derives from the token:',
        '',
        '```sh',
        `kubectl -n ${ns} get receiver ${this.name} -o jsonpath='{.status.webhookPath}'`,
        '# then: https://<host that reaches flux-system/webhook-receiver><that path>',
        '# what a call does, by hand:',
        ...this.resources.map((r) => `flux reconcile source ${FLUX_SOURCE_WORDS[r.kind] ?? r.kind.toLowerCase()} ${r.name} -n ${r.namespace}`),
        '```',
        '',
        `The sender signs or sends the \`token\` of Secret \`${ns}/${this.secretName}\` (SOPS-encrypted in the secrets folder). To rotate it, change the token there, encrypt, push: the path changes with it.`,
      ]],
    };
  }
}
