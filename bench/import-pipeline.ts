/**
 * Import pipeline benchmark: generates a seeded 1,000,000-row messy customer
 * CSV in a temp file, streams it through parse + clean (no database), and
 * prints rows/s and peak RSS. The last line is one JSON object.
 *
 *   npm run bench:import-pipeline            (ROWS=200000 to shorten)
 */
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { openCsv } from '../server/src/modules/imports/csv-stream.js';
import { runImport } from '../server/src/modules/imports/imports.pipeline.js';
import { suggestMapping } from '../server/src/modules/imports/mapping.js';
import { idCheckChar } from '../server/src/modules/imports/normalise.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '平'];
const CITIES = ['北京市朝阳区', '上海市浦东新区', '广州市天河区', '深圳市南山区', '杭州市西湖区', '成都市武侯区'];
const REGIONS = ['110105', '310115', '440106', '440305', '330106', '510107', '320102', '420106'];
const CATEGORIES = ['普通用户', '普通用户', '普通用户', '学生', '企业用户', '其他'];
const FULLWIDTH = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Writes the messy file; defect rates are a few percent each. */
function generate(file: string, rows: number): void {
  const rnd = mulberry32(20261122);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const fd = openSync(file, 'w');
  const phones: string[] = [];
  let out = '\ufeff姓名,手机号,身份证号,出生日期,性别,邮箱,地址,客户类别,开户日期,月费,标签\n';
  for (let i = 0; i < rows; i++) {
    const r = rnd();
    let phone = `1${pick(['3', '5', '8', '9'])}${pad((i * 7919 + 12345) % 1_000_000_000, 9)}`;
    if (phones.length < 5000 && i % 97 === 0) phones.push(phone);
    const y = 1950 + Math.floor(rnd() * 55);
    const m = 1 + Math.floor(rnd() * 12);
    const d = 1 + Math.floor(rnd() * 28);
    const male = rnd() < 0.5;
    let id = '';
    if (rnd() < 0.6) {
      const first17 = `${pick(REGIONS)}${y}${pad(m, 2)}${pad(d, 2)}${pad(Math.floor(rnd() * 100), 2)}${male ? 1 + 2 * Math.floor(rnd() * 5) : 2 * Math.floor(rnd() * 5)}`;
      id = first17 + (rnd() < 0.005 ? '0' : idCheckChar(first17));
    }
    const fmt = rnd();
    let birth = fmt < 0.4 ? `${y}-${pad(m, 2)}-${pad(d, 2)}` : fmt < 0.6 ? `${y}/${m}/${d}` : fmt < 0.75 ? `${y}${pad(m, 2)}${pad(d, 2)}` : fmt < 0.85 ? `${y}年${m}月${d}日` : fmt < 0.95 ? `${pad(d, 2)}/${pad(m, 2)}/${y}` : '';
    if (rnd() < 0.005) birth = 'unknown';
    if (r < 0.01) phone = phone.slice(0, 10);
    else if (r < 0.02) phone = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
    else if (r < 0.03) phone = FULLWIDTH(phone);
    else if (r < 0.04 && phones.length > 0) phone = pick(phones);
    let name = pick(SURNAMES) + pick(GIVEN);
    if (rnd() < 0.01) name = '';
    else if (rnd() < 0.02) name = ` ${name} `;
    const email = rnd() < 0.3 ? (rnd() < 0.01 ? 'not-an-email' : `User${i}@Example.COM`) : '';
    const fen = 1800 + Math.floor(rnd() * 30000);
    const mf = rnd();
    const money = mf < 0.6 ? `${Math.floor(fen / 100)}.${pad(fen % 100, 2)}` : mf < 0.75 ? `¥${fen / 100}` : mf < 0.9 ? `${fen / 100}元` : mf < 0.99 ? `"1,${pad(fen % 1000, 3)}.50"` : '';
    const cat = rnd() < 0.005 ? 'VIP' : pick(CATEGORIES);
    const tags = rnd() < 0.2 ? '"5G,宽带"' : '';
    out += `${name},${phone},${id},${birth},${male ? '男' : '女'},${email},"${pick(CITIES)}",${cat},2024-0${1 + (i % 9)}-1${i % 10},${money},${tags}\n`;
    if (out.length > 1 << 20) {
      writeSync(fd, out);
      out = '';
    }
  }
  writeSync(fd, out);
  closeSync(fd);
}

/** A fixed CPU-bound loop: shows how contended the machine was during the run. */
function calibrate(): number {
  const t = performance.now();
  let x = 0;
  for (let i = 0; i < 5e7; i++) x = (x + Math.imul(i, 2654435761)) | 0;
  if (x === 42) console.log('');
  return performance.now() - t;
}

if (process.argv[2] === '--generate') {
  generate(process.argv[3]!, ROWS);
  process.exit(0);
}

/** BENCH_FILE=path reuses (or keeps) a generated file, for profiling the pipeline alone. */
const keep = process.env.BENCH_FILE;
const file = keep ?? path.join(tmpdir(), `telehall-import-bench-${process.pid}.csv`);
try {
  let t = performance.now();
  if (keep === undefined || !existsSync(keep)) {
    // Generated in a child process so its garbage does not count in this process's peak RSS.
    const gen = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--generate', file], { stdio: 'inherit' });
    if (gen.status !== 0) throw new Error(`generator failed with status ${String(gen.status)}`);
  }
  const mb = statSync(file).size / 1e6;
  console.log(`generated ${ROWS} rows (${mb.toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s: ${file}`);
  const calibrationMs = calibrate();
  console.log(`calibration: 5e7-step integer loop in ${calibrationMs.toFixed(0)} ms (≈225 ms on an idle core of this machine; higher = contended)`);
  let peak = process.memoryUsage().rss;
  const sample = () => {
    const rss = process.memoryUsage().rss;
    if (rss > peak) peak = rss;
  };
  const timer = setInterval(sample, 20);
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const reader = await openCsv(file, { batchSize: Number(process.env.BATCH ?? 500) });
  const base = suggestMapping(reader.header, 'bench');
  const mapping = { ...base, missing: { ...base.missing, monthlyChargeFen: { rule: 'default' as const, value: '0' } } };
  let batches = 0;
  const report = await runImport({
    reader,
    mapping,
    expectedRows: Math.ceil(statSync(file).size / 110),
    onBatch: () => {
      if (++batches % 16 === 0) sample();
    },
  });
  const s = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  sample();
  const rowsPerS = Math.round(report.totals.rows / s);
  console.log(`parse+clean: ${report.totals.rows} rows in ${s.toFixed(2)} s = ${rowsPerS} rows/s (${(mb / s).toFixed(1)} MB/s)`);
  console.log(`CPU time ${cpuS.toFixed(2)} s = ${Math.round(report.totals.rows / cpuS)} rows per CPU-second (other processes share this machine's cores)`);
  console.log(`clean ${report.totals.clean}, rejected ${report.totals.rejected}, duplicates ${report.totals.duplicatesInFile}, flagged ${report.totals.flaggedForReview}`);
  console.log('rejected by code', JSON.stringify(report.rejectedByCode));
  console.log(`peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`);
  console.log(JSON.stringify({ rows_per_s: rowsPerS, rows_per_cpu_s: Math.round(report.totals.rows / cpuS), peak_rss_mb: Math.round(peak / 2 ** 20), rows: report.totals.rows, rejected: report.totals.rejected, calibration_ms: Math.round(calibrationMs) }));
} finally {
  if (keep === undefined) rmSync(file, { force: true });
}
