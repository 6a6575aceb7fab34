import { ConsoleLogger, LoggerService, LogLevel } from '@nestjs/common';

/** A Nest logger that records every line, at every level, so tests can search what was logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  private readonly console = new ConsoleLogger('Test', { logLevels: ['error'] });

  constructor(private readonly echoErrors = false) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.record('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.record('error', message, rest);
    if (this.echoErrors) {
      this.console.error(message, ...rest);
    }
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.record('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.record('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.record('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.record('fatal', message, rest);
  }

  /** Every recorded line joined, for substring checks. */
  get text(): string {
    return this.lines.join('\n');
  }

  /** Lines recorded at one level. */
  at(level: LogLevel): string[] {
    return this.lines.filter((line) => line.startsWith(`${level} `));
  }

  clear(): void {
    this.lines.length = 0;
  }

  private record(level: LogLevel, message: unknown, rest: unknown[]): void {
    const parts = [message, ...rest].map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
    this.lines.push(`${level} ${parts.join(' ')}`);
  }
}
