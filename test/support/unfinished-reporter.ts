import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * When a test file's worker process dies (a native crash, the OOM killer), vitest says only
 * "Worker exited unexpectedly", not which file or test was running. This names them, last in
 * the output, where a CI log that keeps only its tail still shows it.
 */
export default class UnfinishedReporter implements Reporter {
  private readonly files = new Set<string>();
  private readonly tests = new Map<string, string>();

  onTestModuleStart(module: TestModule): void {
    this.files.add(module.moduleId);
  }

  onTestModuleEnd(module: TestModule): void {
    this.files.delete(module.moduleId);
  }

  onTestCaseReady(test: TestCase): void {
    this.tests.set(test.id, `${test.module.moduleId} > ${test.fullName}`);
  }

  onTestCaseResult(test: TestCase): void {
    this.tests.delete(test.id);
  }

  onTestRunEnd(): void {
    if (this.files.size === 0 && this.tests.size === 0) return;
    // Reports reach the runner in batches, so a file that died may show no test begun.
    const lines = [
      'Test files that never finished (their worker died):',
      ...[...this.files].map((file) => `  ${file}`),
      ...(this.tests.size > 0 ? ['Tests begun and never finished:', ...[...this.tests.values()].map((test) => `  ${test}`)] : []),
    ];
    process.stderr.write(`${lines.join('\n')}\n`);
  }
}
