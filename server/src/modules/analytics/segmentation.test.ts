import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { segment, suggestName } from './segmentation.js';

const row = (arpu: number, data: number) => ({ features: { tenure_days: 100, arpu_fen: arpu, data_mb: data } });

describe('segmentation run', () => {
  it('drops clusters left empty when there are fewer distinct customers than k', async () => {
    const rows = [row(1000, 10), row(1000, 10), row(1000, 10), row(9000, 5000), row(9000, 5000)];
    const steps: string[] = [];
    const r = await segment(rows, { features: ['tenure_days', 'arpu_fen', 'data_mb'], k: 4, seed: 1, restarts: 2 }, async (_p, stage) => void steps.push(stage));
    assert.equal(r.k, 2);
    assert.deepEqual(r.segments.map((s) => s.size).sort(), [2, 3]);
    assert.deepEqual([...new Set(r.labels)].sort(), [0, 1]);
    const heavy = r.segments.find((s) => s.size === 2)!;
    assert.deepEqual(heavy.centroid, [100, 9000, 5000]); // original units
    assert.deepEqual(heavy.name, { zh: '高消费·重度流量', en: 'high spend, heavy data' });
    assert.ok(steps.includes('k=4'));
  });

  it('names a segment by its two strongest standout features, or typical', () => {
    assert.deepEqual(suggestName([{ feature: 'data_mb', z: 1.4 }, { feature: 'arpu_fen', z: -0.9 }, { feature: 'sms', z: 0.8 }]), { zh: '重度流量·低消费', en: 'heavy data, low spend' });
    assert.deepEqual(suggestName([{ feature: 'data_mb', z: 0.2 }]), { zh: '普通用户', en: 'typical' });
    assert.deepEqual(suggestName([{ feature: 'plan_code=plus88', z: 2 }]), { zh: 'plus88套餐', en: 'on plus88' });
  });
});
