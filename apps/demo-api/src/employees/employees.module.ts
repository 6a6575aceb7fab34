import { Module } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { EmployeesController } from './employees.controller';
import { EmployeesRepository } from './employees.repository';

@Module({
  imports: [CompaniesModule],
  controllers: [EmployeesController],
  providers: [EmployeesRepository],
  exports: [EmployeesRepository],
})
export class EmployeesModule {}
