import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { connect } from 'nats';
import pino from 'pino';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { connectJetStream, createPublisher, type Broker } from './nats.js';
import { enqueue } from './outbox.js';

const url = process.env.NATS_URL;

// Needs a NATS server with JetStream: CI runs it against the machine's (NATS_URL=nats://127.0.0.1:4222).
describe('outbox → NATS JetStream', { skip: url ? false : 'NATS_URL is not set' }, () => {
  let t: TestContext;
  let broker: Broker;
  const tag = randomBytes(4).toString('hex');
  const stream = `TH_TEST_${tag}`;
  before(async () => {
    t = await createTestContext();
    broker = await connectJetStream(url!, { stream, prefix: `thtest${tag}` });
  });
  after(async () => {
    await broker?.close();
    const nc = await connect({ servers: new URL(url!).host });
    await (await nc.jetstreamManager()).streams.delete(stream).catch(() => undefined);
    await nc.close();
    await t?.close();
  });

  it('publishes each committed event once, even when re-published after a crash', async () => {
    await t.s.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i++) await enqueue(trx, t.s.clock, 'usage.alert', `line-${i}`, { n: i });
    });
    // A rolled-back event never leaves.
    await t.s.db.transaction().execute(async (trx) => {
      await enqueue(trx, t.s.clock, 'usage.alert', 'ghost', { n: 99 });
      throw new Error('rollback');
    }).catch(() => undefined);
    const publisher = createPublisher({ db: t.s.db, clock: t.s.clock, log: pino({ level: 'silent' }), broker });
    assert.equal(await publisher.runOnce(), 3);
    assert.equal(await publisher.runOnce(), 0);
    // The process "crashed" after publishing but before marking: both get sent again.
    const ids = (await t.s.db.selectFrom('outbox').select('id').orderBy('id').execute()).map((r) => r.id);
    await t.s.db.updateTable('outbox').set({ published_at: null }).where('id', 'in', ids.slice(1)).execute();
    assert.equal(await publisher.runOnce(), 2);

    const nc = await connect({ servers: new URL(url!).host });
    try {
      const jsm = await nc.jetstreamManager();
      const info = await jsm.streams.info(stream);
      assert.equal(info.state.messages, 3, 'JetStream dropped the duplicates by message id');
      const first = await jsm.streams.getMessage(stream, { seq: 1 });
      assert.equal(first.subject, `thtest${tag}.usage.alert`);
      assert.deepEqual(first.json(), { n: 0 });
      assert.equal(first.header.get('Nats-Msg-Id'), `outbox-${ids[0]}`);
      assert.equal(first.header.get('telehall-key'), 'line-0');
    } finally {
      await nc.close();
    }
  });
});
