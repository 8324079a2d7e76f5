import { IAppService } from '../../app/app-service';
import { at, JsonObject } from '../../json';

function stringAt(values: JsonObject, key: string): string | undefined {
  const node = values[key];
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/** The Service the Headlamp chart makes: its `headlamp.fullname`, on `values.service.port`. */
export function headlampChartService(values: JsonObject, release: string): IAppService {
  const override = stringAt(values, 'fullnameOverride');
  const chart = stringAt(values, 'nameOverride') ?? 'headlamp';
  const name = override ?? (release.includes(chart) ? release : `${release}-${chart}`);
  const port = at(values, 'service', 'port');
  if (typeof port !== 'number') throw new Error(`values.service.port ${JSON.stringify(port)} must be a port number, e.g. 80`);
  return { serviceName: name.slice(0, 63).replace(/-+$/, ''), servicePort: port };
}
