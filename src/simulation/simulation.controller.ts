import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../common/auth-user';
import { CurrentUser, Roles } from '../common/auth-decorators';
import { SimulationRequestDto } from './simulation.dto';
import { SimulationResponse, SimulationService } from './simulation.service';

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('simulations')
@Roles('HEAD_OF_OMU', 'SECURITY_MANAGER')
export class SimulationController {
  constructor(private readonly simulations: SimulationService) {}

  @ApiOperation({
    summary:
      'Simulate a staffing plan over a period of calls under each policy (the product’s, FIFO, MAPPA level)',
  })
  @Post()
  @HttpCode(200)
  run(
    @CurrentUser() user: AuthUser,
    @Body() body: SimulationRequestDto,
  ): Promise<SimulationResponse> {
    return this.simulations.run(user, body);
  }
}
