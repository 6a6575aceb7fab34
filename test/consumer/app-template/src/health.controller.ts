import { Controller, Get } from '@nestjs/common';
import { Public } from '@cobee/auth';

@Controller('health')
@Public()
export class HealthController {
  @Get()
  check(): { status: string } {
    return { status: 'ok' };
  }
}
