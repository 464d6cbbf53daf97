import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export const WINDOWS = { hour: 60, day: 24 * 60 } as const;
export type StatsWindow = keyof typeof WINDOWS;

export class OverviewQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(WINDOWS), default: 'hour', description: 'How far back the series go' })
  @IsOptional()
  @IsIn(Object.keys(WINDOWS), { message: 'window must be hour or day' })
  window?: StatsWindow;
}
