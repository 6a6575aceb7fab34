import { Controller, DynamicModule, ForbiddenException, Get, Inject, Injectable, Module, Param, Req, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { openDemoDatabase } from '../../apps/demo-api/src/database/demo-database';
import { EMPLOYEE_COLUMNS, EmployeeRow, toEmployee } from '../../apps/demo-api/src/employees/employee-row.mapper';

/** Settings of the baseline app. */
export interface QuickstartSettings {
  readonly issuerUrl: string;
  readonly audience: string;
}

export const QUICKSTART_SETTINGS = Symbol('QUICKSTART_SETTINGS');
const CLAIM_NAMESPACE = 'https://auth.cobee.io/metadata';

/**
 * The canonical NestJS + Auth0 setup, as the quickstart guides show it: passport-jwt with
 * jwks-rsa's `passportJwtSecret()` as the key provider and `AuthGuard('jwt')`. jsonwebtoken
 * receives the key as a PEM string and parses it again on every request.
 */
@Injectable()
class QuickstartJwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(QUICKSTART_SETTINGS) settings: QuickstartSettings) {
    super({
      secretOrKeyProvider: passportJwtSecret({
        cache: true,
        rateLimit: true,
        jwksRequestsPerMinute: 5,
        jwksUri: `${settings.issuerUrl}.well-known/jwks.json`,
      }),
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      audience: settings.audience,
      issuer: settings.issuerUrl,
      algorithms: ['RS256'],
    });
  }

  validate(payload: Record<string, unknown>): Record<string, unknown> {
    return payload;
  }
}

const database = openDemoDatabase(':memory:');
const listStatement = database.prepare<[string, number, number], EmployeeRow>(
  `SELECT ${EMPLOYEE_COLUMNS} FROM employees WHERE company_id = ? ORDER BY created_at, id LIMIT ? OFFSET ?`,
);
const countStatement = database.prepare<[string], { total: number }>('SELECT COUNT(*) AS total FROM employees WHERE company_id = ?');

/** The demo's employee list, guarded the quickstart way with a hand-written company check. */
@Controller('companies/:companyId/employees')
@UseGuards(AuthGuard('jwt'))
class QuickstartEmployeesController {
  @Get()
  list(@Param('companyId') companyId: string, @Req() request: { user: Record<string, { companyId?: string }> }): unknown {
    if (request.user[CLAIM_NAMESPACE]?.companyId !== companyId) {
      throw new ForbiddenException();
    }
    const items = listStatement.all(companyId, 50, 0).map(toEmployee);
    return { items, total: (countStatement.get(companyId) as { total: number }).total, limit: 50, offset: 0 };
  }
}

/** The baseline application for the benchmark's scenario (d). */
@Module({})
export class QuickstartBaselineModule {
  static forRoot(settings: QuickstartSettings): DynamicModule {
    return {
      module: QuickstartBaselineModule,
      imports: [PassportModule],
      controllers: [QuickstartEmployeesController],
      providers: [{ provide: QUICKSTART_SETTINGS, useValue: settings }, QuickstartJwtStrategy],
    };
  }
}
