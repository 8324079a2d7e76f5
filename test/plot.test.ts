import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plotSvg } from '../bench/plot';

describe('bench/plot', () => {
  it('draws one polyline per series, points placed left to right by N, and escapes text', () => {
    const svg = plotSvg([{ title: 'time <s>', unit: 's', series: [{ label: 'a & b', colour: '#000', points: [[1, 0.3], [10, 0.4], [100, 0.8]] }] }], 'caption');
    const points = /<polyline [^>]*points="([^"]+)"/.exec(svg)![1].split(' ').map((p) => p.split(',').map(Number));
    assert.equal(points.length, 3);
    assert.ok(points[0][0] < points[1][0] && points[1][0] < points[2][0]);
    assert.ok(points[0][1] > points[2][1], 'a larger value is drawn higher');
    assert.match(svg, /time &lt;s&gt;/);
    assert.match(svg, /a &amp; b/);
  });
});
