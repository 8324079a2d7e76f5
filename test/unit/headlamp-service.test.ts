import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headlampChartService } from '../../lib/apps/headlamp/headlamp-service';
import { synthStack } from '../helpers';

const PORT = { service: { port: 80 } };

describe('headlampChartService', () => {
  it('names the Service the way the chart does', () => {
    assert.equal(headlampChartService(PORT, 'headlamp').serviceName, 'headlamp');
    assert.equal(headlampChartService(PORT, 'my-headlamp').serviceName, 'my-headlamp');
    assert.equal(headlampChartService(PORT, 'dash').serviceName, 'dash-headlamp');
    assert.equal(headlampChartService({ ...PORT, nameOverride: 'ui' }, 'dash').serviceName, 'dash-ui');
    assert.equal(headlampChartService({ ...PORT, fullnameOverride: 'board-' }, 'headlamp').serviceName, 'board');
  });

  it('takes the port from the merged values, which the route then targets', () => {
    const route = synthStack({ values: { service: { port: 8080 } } }).get('IngressRoute', 'headlamp');
    assert.deepEqual(route.spec.routes[0].services[0], { name: 'headlamp', namespace: 'headlamp', port: 8080 });
  });

  it('refuses a Service port that is not a number', () => {
    assert.throws(() => headlampChartService({ service: { port: '80' } }, 'headlamp'), /values\.service\.port "80" must be a port number, e\.g\. 80/);
  });
});
