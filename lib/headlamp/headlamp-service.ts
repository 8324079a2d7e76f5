/** The Service in front of Headlamp, whichever way it is installed. */
export interface IHeadlampService {
  readonly serviceName: string;
  readonly servicePort: number;
}
