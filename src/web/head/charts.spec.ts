import {
  barChartSvg,
  escapeXml,
  lastPerDay,
  linearScale,
  lineChartSvg,
  niceMax,
  ticks,
} from './charts';

const text = { id: 'age', title: 'Calls waiting by age', description: 'Bars by age' };

describe('charts', () => {
  describe('scales', () => {
    it('maps a domain linearly onto a range, inverted for the y axis', () => {
      const y = linearScale([0, 10], [200, 0]);
      expect(y(0)).toBe(200);
      expect(y(5)).toBe(100);
      expect(y(10)).toBe(0);
    });

    it('maps a zero-width domain to the start of the range', () => {
      expect(linearScale([3, 3], [10, 90])(3)).toBe(10);
    });

    it('rounds the axis top up to 1, 2 or 5 times a power of ten, at least 1', () => {
      expect(niceMax(0)).toBe(1);
      expect(niceMax(-4)).toBe(1);
      expect(niceMax(Number.NaN)).toBe(1);
      expect(niceMax(3)).toBe(5);
      expect(niceMax(7)).toBe(10);
      expect(niceMax(11)).toBe(20);
      expect(niceMax(200)).toBe(200);
      expect(niceMax(201)).toBe(500);
    });

    it('gives whole-number ticks from zero to the top', () => {
      expect(ticks(0)).toEqual([0, 1]);
      expect(ticks(7)).toEqual([0, 3, 6, 9, 10]);
      expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    });
  });

  describe('escaping', () => {
    it('escapes markup and quotes', () => {
      expect(escapeXml(`<script>"a" & 'b'</script>`)).toBe(
        '&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;',
      );
      expect(escapeXml(null)).toBe('');
    });

    it('never lets a label, title or description break out of the SVG', () => {
      const svg = barChartSvg({
        id: 'x',
        title: '<b>title</b>',
        description: 'desc & "more"',
        data: [{ label: '</text><script>alert(1)</script>', value: 2 }],
      });
      expect(svg).not.toContain('<script>');
      expect(svg).not.toContain('<b>');
      expect(svg).toContain('&lt;/text&gt;&lt;script&gt;');
      expect(svg).toContain('<title id="x-title">&lt;b&gt;title&lt;/b&gt;</title>');
      expect(svg).toContain('<desc id="x-desc">desc &amp; &quot;more&quot;</desc>');
      const line = lineChartSvg({
        id: 'y',
        title: 't',
        description: 'd',
        series: [{ name: '<i>', points: [{ at: new Date(), value: 1 }] }],
      });
      expect(line).not.toContain('<i>');
    });

    it('makes the id safe for the aria-labelledby ids', () => {
      const svg = barChartSvg({ ...text, id: 'a b"c', data: [] });
      expect(svg).toContain('aria-labelledby="a-b-c-title a-b-c-desc"');
    });
  });

  describe('bar chart', () => {
    const data = [
      { label: 'Under 24 hours', value: 4 },
      { label: '1 to 3 days', value: 2 },
      { label: 'Over 30 days', value: 0 },
    ];

    it('is an accessible image with a title, a description and no script or style', () => {
      const svg = barChartSvg({ ...text, data });
      expect(svg).toMatch(/^<svg [^>]*role="img"/);
      expect(svg).toContain('aria-labelledby="age-title age-desc"');
      expect(svg).toContain('<title id="age-title">Calls waiting by age</title>');
      expect(svg).toContain('<desc id="age-desc">Bars by age</desc>');
      expect(svg).not.toMatch(/<script|style=|<style/);
      expect(svg.endsWith('</svg>')).toBe(true);
    });

    it('writes each bar’s value and label as text', () => {
      const svg = barChartSvg({ ...text, data });
      expect(svg.match(/data-qa="bar"/g)).toHaveLength(3);
      for (const d of data) {
        expect(svg).toContain(`>${d.label}</text>`);
        expect(svg).toContain(`>${d.value}</text>`);
      }
    });

    it('scales bars to the nice top of the axis', () => {
      const svg = barChartSvg({ ...text, data, width: 640, height: 300 });
      const heights = [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
      // Plot height 300 - 24 - 40 = 236 for an axis top of 5.
      expect(heights[0]).toBeCloseTo((236 * 4) / 5, 0);
      expect(heights[1]).toBeCloseTo((236 * 2) / 5, 0);
      expect(heights[2]).toBe(0);
    });

    it('draws an empty chart with an axis and says there is no data', () => {
      const svg = barChartSvg({ ...text, data: [] });
      expect(svg).toContain('role="img"');
      expect(svg).toContain('No data');
      expect(svg).not.toContain('NaN');
      const zeros = barChartSvg({ ...text, data: [{ label: 'None', value: 0 }] });
      expect(zeros).not.toContain('NaN');
      expect(zeros).toContain('>0</text>');
    });
  });

  describe('line chart', () => {
    const day = (d: number, h = 12) => new Date(Date.UTC(2025, 2, d, h));

    it('draws each series as a line with a legend, its last value and the dates at both ends', () => {
      const svg = lineChartSvg({
        id: 'trend',
        title: 'Calls waiting, last 30 days',
        description: 'From 12 to 4',
        series: [
          {
            name: 'Calls waiting',
            points: [
              { at: day(3), value: 12 },
              { at: day(4), value: 8 },
              { at: day(5), value: 4 },
            ],
          },
          {
            name: 'Past due',
            dashed: true,
            points: [
              { at: day(3), value: 2 },
              { at: day(5), value: 1 },
            ],
          },
        ],
      });
      expect(svg).toContain('role="img"');
      expect(svg).toContain('<title id="trend-title">Calls waiting, last 30 days</title>');
      expect(svg.match(/<polyline /g)).toHaveLength(2);
      expect(svg).toContain('stroke-dasharray');
      expect(svg).toContain('>Calls waiting</text>');
      expect(svg).toContain('>Past due</text>');
      expect(svg).toContain('>3 Mar</text>');
      expect(svg).toContain('>5 Mar</text>');
      expect(svg).toMatch(/>4<\/text><\/g>/);
      expect(svg).not.toContain('NaN');
    });

    it('places points in time order from left to right', () => {
      const svg = lineChartSvg({
        id: 't',
        title: 't',
        description: 'd',
        width: 600,
        height: 300,
        series: [
          {
            name: 's',
            points: [
              { at: day(5), value: 0 },
              { at: day(3), value: 10 },
            ],
          },
        ],
      });
      const points = /<polyline points="([^"]+)"/.exec(svg)![1].split(' ');
      // left margin 48, right 600 - 48; top of a 10 axis at y 40, zero at 300 - 40.
      expect(points).toEqual(['48,40', '552,260']);
    });

    it('draws a single snapshot as a point, and no snapshots as an empty chart', () => {
      const one = lineChartSvg({
        id: 't',
        title: 't',
        description: 'd',
        series: [{ name: 's', points: [{ at: day(3), value: 5 }] }],
      });
      expect(one).toContain('<circle ');
      expect(one).not.toContain('NaN');
      const none = lineChartSvg({ id: 't', title: 't', description: 'd', series: [] });
      expect(none).toContain('role="img"');
      expect(none).toContain('No data yet');
    });
  });

  it('keeps the last snapshot of each London day, oldest first', () => {
    const rows = lastPerDay([
      { takenAt: new Date('2025-03-04T10:00:00Z'), pending: 3 },
      { takenAt: new Date('2025-03-03T08:00:00Z'), pending: 1 },
      { takenAt: new Date('2025-03-03T22:00:00Z'), pending: 2 },
      // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
      { takenAt: '2025-06-30T23:00:00Z', pending: 9 },
    ]);
    expect(rows.map((r) => [r.day, r.pending])).toEqual([
      ['2025-03-03', 2],
      ['2025-03-04', 3],
      ['2025-07-01', 9],
    ]);
  });
});
