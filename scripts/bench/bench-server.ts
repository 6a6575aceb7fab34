import { INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../apps/demo-api/src/app.module';
import { configureDemoApp } from '../../apps/demo-api/src/app.setup';
import { PublicEmployeesModule } from './public-employees.controller';
import { QuickstartBaselineModule } from './quickstart-baseline.module';

/**
 * The benchmark's server process: the demo app and the quickstart baseline, both on
 * loopback, so that the load generator in the parent process gets a core of its own.
 * Settings come in BENCH_SERVER_SETTINGS (JSON); the ports go back over IPC.
 */
async function main(): Promise<void> {
  const settings = JSON.parse(process.env.BENCH_SERVER_SETTINGS ?? '{}') as {
    issuerUrl: string;
    audience: string;
  };
  Logger.overrideLogger(['error']);

  @Module({
    imports: [
      AppModule.forRoot({ auth: { issuerUrl: settings.issuerUrl, audience: settings.audience }, databasePath: ':memory:' }),
      PublicEmployeesModule,
    ],
  })
  class BenchDemoModule {}

  const demo = configureDemoApp(await NestFactory.create(BenchDemoModule, { logger: ['error'] }));
  const baseline = await NestFactory.create(QuickstartBaselineModule.forRoot(settings), { logger: ['error'] });

  const ports = { demo: await listen(demo), baseline: await listen(baseline) };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') {
      process.send?.({ type: 'memory', memory: process.memoryUsage() });
    }
  });
  process.send?.({ type: 'ready', ports });
}

async function listen(app: INestApplication): Promise<number> {
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as { port: number }).port;
}

void main();
