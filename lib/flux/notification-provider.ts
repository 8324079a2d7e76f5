import { Construct } from 'constructs';
import { Provider as ProviderL1, ProviderSpecType } from '../../imports/provider-notification.toolkit.fluxcd.io';
import { PropProblems } from '../props/prop-problems';
import { dnsLabelProblem, dnsSubdomainProblem } from '../props/prop-rules';

/** A notification Provider that Alerts send events to. */
export interface INotificationProvider {
  readonly name: string;
  readonly namespace: string;
}

const TYPES = new Map(Object.values(ProviderSpecType).map((t) => [t as string, t]));

export interface NotificationProviderProps {
  /** Namespace of the Provider (its Alerts and its Secret live there too). */
  readonly namespace: string;

  /** Where events go: `discord`, `slack`, `msteams`, `matrix`, `generic`, … (notification-controller's provider types). */
  readonly type: string;

  /**
   * Secret in the namespace holding the webhook `address` (and `token` where
   * the type takes one): a webhook URL is a credential, so it lives
   * SOPS-encrypted in the app's secrets folder, never in the Provider.
   */
  readonly secretName: string;

  /**
   * Name of the Provider.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Channel, room or topic, for types that have one (Slack, Matrix, …).
   * @default - the webhook's own
   */
  readonly channel?: string;

  /**
   * Name shown as the sender, for types that have one.
   * @default - the type's default
   */
  readonly username?: string;
}

/**
 * A Flux notification Provider (notification.toolkit.fluxcd.io/v1beta3): a
 * chat or webhook that receives events, its address read from a Secret.
 */
export class NotificationProvider extends Construct implements INotificationProvider {
  public readonly name: string;
  public readonly namespace: string;
  public readonly secretName: string;

  public constructor(scope: Construct, id: string, props: NotificationProviderProps) {
    super(scope, id);
    this.name = props.name ?? id;
    this.namespace = props.namespace;
    this.secretName = props.secretName;
    const type = TYPES.get(props.type);
    const problems = new PropProblems(`NotificationProvider ${this.node.path}`);
    problems.add(dnsSubdomainProblem('name', this.name), dnsLabelProblem('namespace', this.namespace), dnsSubdomainProblem('secretName', props.secretName));
    if (type === undefined) problems.add(`type: Unsupported value: "${props.type}": supported values: ${[...TYPES.keys()].map((t) => `"${t}"`).join(', ')}`);
    problems.throwIfAny();
    new ProviderL1(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: { type: type!, channel: props.channel, username: props.username, secretRef: { name: props.secretName } },
    });
  }
}
