// The examples' self-checks: each check prints ok/FAIL; `finish()` prints the verdict and exits
// 0 when every check held, 1 otherwise (CI runs the examples and reads the exit code).
export class Checks {
  failures = [];

  constructor(name) {
    this.name = name;
  }

  check(ok, what) {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) this.failures.push(what);
  }

  finish() {
    const n = this.failures.length;
    console.log(n === 0 ? `\n${this.name}: all checks passed` : `\n${this.name}: ${n} check(s) failed`);
    process.exit(n === 0 ? 0 : 1);
  }
}
