import { Construct } from 'constructs';
import { Alert as AlertL1, AlertSpecEventSeverity, AlertSpecEventSourcesKind } from '../../imports/alert-notification.toolkit.fluxcd.io';
import { PropProblems } from '../props/prop-problems';
import { dnsLabelProblem, dnsSubdomainProblem } from '../props/prop-rules';
import { IFluxSource } from './flux-source';
import { INotificationProvider } from './notification-provider';

const KINDS = new Map(Object.values(AlertSpecEventSourcesKind).map((k) => [k as string, k]));

export interface NotificationAlertProps {
  /** Namespace of the Alert: the Provider's. */
  readonly namespace: string;

  /** Where the events go. */
  readonly provider: INotificationProvider;

  /**
   * The objects whose events are sent: the app's HelmRepository or
   * OCIRepository, HelmChart and HelmRelease (anything with a kind, a name
   * and a namespace; `*` as name for every one of that kind).
   */
  readonly sources: readonly IFluxSource[];

  /**
   * Lowest severity sent: `error` only, or `info` for every event (upgrades included).
   * @default 'error'
   */
  readonly eventSeverity?: 'info' | 'error';

  /**
   * Regular expressions of event messages not to send (e.g. `"waiting.*socket"`).
   * @default - none
   */
  readonly exclusionList?: readonly string[];

  /**
   * A line added to every notification, e.g. the cluster's name.
   * @default - none
   */
  readonly summary?: string;

  /**
   * Name of the Alert.
   * @default - the construct id
   */
  readonly name?: string;
}

/** A Flux Alert (notification.toolkit.fluxcd.io/v1beta3): which objects' events go to a Provider. */
export class NotificationAlert extends Construct {
  public readonly name: string;
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: NotificationAlertProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    const problems = new PropProblems(`NotificationAlert ${this.node.path}`);
    problems.add(dnsSubdomainProblem('name', this.name), dnsLabelProblem('namespace', this.namespace));
    if (props.sources.length === 0) problems.add('sources is empty: name the objects whose events to send, e.g. the app\'s HelmRelease and its chart source');
    props.sources.forEach((s, i) => {
      if (!KINDS.has(s.kind)) problems.add(`sources[${i}].kind: Unsupported value: "${s.kind}": supported values: ${[...KINDS.keys()].map((k) => `"${k}"`).join(', ')}`);
    });
    if (props.provider.namespace !== this.namespace) problems.add(`provider: Invalid value: "${props.provider.namespace}/${props.provider.name}": an Alert refers to a Provider in its own namespace ("${this.namespace}"): create the Provider there`);
    for (const [i, pattern] of (props.exclusionList ?? []).entries()) {
      try {
        new RegExp(pattern);
      } catch (error) {
        problems.add(`exclusionList[${i}]: Invalid value: "${pattern}": not a regular expression (${(error as Error).message})`);
      }
    }
    problems.throwIfAny();
    new AlertL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        providerRef: { name: props.provider.name },
        eventSeverity: props.eventSeverity === 'info' ? AlertSpecEventSeverity.INFO : AlertSpecEventSeverity.ERROR,
        eventSources: props.sources.map((s) => ({ kind: KINDS.get(s.kind)!, name: s.name, namespace: s.namespace })),
        exclusionList: props.exclusionList?.length ? [...props.exclusionList] : undefined,
        summary: props.summary,
      },
    });
  }
}
