// `npm run corpus`: recall and false-alarm rate of the builtin engine per category of the
// labelled corpus (test/corpus/), and with `--misses` the cases it gets wrong.
import { BuiltinEngine } from '../../src/review/engines/builtin/builtin.engine.js';
import { scoreCorpus } from './evaluate.js';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`.padStart(8);
const engine = await BuiltinEngine.create();
const started = performance.now();
const scores = await scoreCorpus(engine);
console.log(
  `${'category'.padEnd(22)} ${'recall'.padStart(8)} ${'caught'.padStart(9)} ${'false al.'.padStart(9)} ${'alarms'.padStart(8)}`,
);
for (const s of scores) {
  console.log(
    `${s.category.padEnd(22)} ${pct(s.recall)} ${`${s.caught}/${s.positives}`.padStart(9)} ${pct(s.falseAlarmRate)} ${`${s.falseAlarms}/${s.negatives}`.padStart(8)}`,
  );
}
const total = scores.reduce((n, s) => n + s.positives + s.negatives, 0);
console.log(`${total} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (process.argv.includes('--misses')) {
  for (const s of scores) {
    for (const c of s.misses)
      console.log(
        `MISS  ${s.category} ${c.source.repo} ${c.source.rule} ${c.source.case}: ${JSON.stringify(c.text).slice(0, 160)}`,
      );
    for (const c of s.alarms)
      console.log(
        `ALARM ${s.category} ${c.source.repo} ${c.source.rule} ${c.source.case}: ${JSON.stringify(c.text).slice(0, 160)}`,
      );
  }
}
