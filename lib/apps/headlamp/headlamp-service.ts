import { AppPods } from '../../app/app-network-policies';
import { IAppService } from '../../app/app-service';
import { at, JsonObject } from '../../json';

function stringAt(values: JsonObject, key: string): string | undefined {
  const node = values[key];
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/** The chart's `headlamp.fullname`: the name of its Deployment, Service and ServiceAccount. */
export function headlampFullname(values: JsonObject, release: string): string {
  const override = stringAt(values, 'fullnameOverride');
  const chart = stringAt(values, 'nameOverride') ?? 'headlamp';
  const name = override ?? (release.includes(chart) ? release : `${release}-${chart}`);
  return name.slice(0, 63).replace(/-+$/, '');
}

/** The ServiceAccount the chart's pod runs as (`headlamp.serviceAccountName`). */
export function headlampServiceAccountName(values: JsonObject, release: string): string {
  const name = typeof at(values, 'serviceAccount', 'name') === 'string' ? String(at(values, 'serviceAccount', 'name')) : '';
  if (at(values, 'serviceAccount', 'create') === false) return name || 'default';
  return name || headlampFullname(values, release);
}

/** The Service the Headlamp chart makes: its `headlamp.fullname`, on `values.service.port`. */
export function headlampChartService(values: JsonObject, release: string): IAppService {
  const port = at(values, 'service', 'port');
  if (typeof port !== 'number') throw new Error(`values.service.port ${JSON.stringify(port)} must be a port number, e.g. 80`);
  return { serviceName: headlampFullname(values, release), servicePort: port };
}

/** Port the Headlamp server listens on inside the pod (chart and raw mode alike). */
export const HEADLAMP_PORT = 4466;

/**
 * Headlamp's pods as the chart (and raw mode) label them: they serve 4466 and
 * talk to the API server; over HTTPS, the plugin manager downloads plugins
 * and the server exchanges OIDC codes with the issuer.
 */
export function headlampPods(values: JsonObject, release: string): AppPods {
  return {
    labels: { 'app.kubernetes.io/name': stringAt(values, 'nameOverride') ?? 'headlamp', 'app.kubernetes.io/instance': release },
    port: HEADLAMP_PORT,
    apiServer: true,
    disruptionBudget: at(values, 'podDisruptionBudget', 'enabled') !== true,
    egressPorts: at(values, 'pluginsManager', 'enabled') === true || at(values, 'config', 'oidc', 'externalSecret', 'enabled') === true ? [443] : undefined,
  };
}
