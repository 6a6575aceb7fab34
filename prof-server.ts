import { writeFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { Logger } from '@nestjs/common';
import { DevIssuer } from '@cobee/auth/testing';
import { AppModule } from '/work/main/apps/demo-api/src/app.module';
import { configureDemoApp } from '/work/main/apps/demo-api/src/app.setup';
import { DEMO_CLIENTS } from '/work/main/apps/demo-api/src/dev/demo-data';
async function main() {
  Logger.overrideLogger(['error']);
  const issuer = await DevIssuer.start({ audiences: ['aud'], clients: DEMO_CLIENTS.map((c) => ({ ...c, secret: 'x'.repeat(20) })) });
  const app = configureDemoApp(await NestFactory.create(AppModule.forRoot({ auth: { issuerUrl: issuer.url, audience: 'aud' }, databasePath: ':memory:' }), { logger: ['error'] }));
  await app.listen(0, '127.0.0.1');
  const port = app.getHttpServer().address().port;
  writeFileSync('/tmp/prof-target.json', JSON.stringify({ port, token: issuer.issueToken('demo-acme-iberia') }));
  process.on('SIGINT', () => process.exit(0));
}
main();
process.on('SIGUSR2', () => { const u = process.cpuUsage(); writeFileSync('/tmp/prof-cpu.json', JSON.stringify(u.user + u.system)); });
