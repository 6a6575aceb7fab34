import { Module } from '@nestjs/common';
import { CompanyDirectory } from '@cobee/auth';
import { CompaniesController } from './companies.controller';
import { CompaniesRepository } from './companies.repository';

@Module({
  controllers: [CompaniesController],
  providers: [CompaniesRepository, { provide: CompanyDirectory, useExisting: CompaniesRepository }],
  exports: [CompaniesRepository],
})
export class CompaniesModule {}
