/** The Service in front of an app, which the tunnel and the route send requests to. */
export interface IAppService {
  readonly serviceName: string;
  readonly servicePort: number;
}
