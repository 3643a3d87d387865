import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeUserAgent } from './user-agent';

void test('summarizeUserAgent names common mobile and desktop clients', () => {
  assert.deepEqual(
    summarizeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'),
    { browser: 'Safari', os: 'iOS' },
  );
  assert.deepEqual(
    summarizeUserAgent('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36'),
    { browser: 'Chrome', os: 'Android' },
  );
  assert.deepEqual(
    summarizeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0'),
    { browser: 'Edge', os: 'Windows' },
  );
  assert.deepEqual(summarizeUserAgent('curl/8.5.0'), { browser: 'curl', os: null });
  assert.deepEqual(summarizeUserAgent(''), { browser: null, os: null });
});
