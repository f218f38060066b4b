import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** For the OpenAPI document: the error body of every route. */
export class ErrorBodyDto {
  @ApiProperty({ example: 400 }) statusCode: number;
  @ApiProperty({ example: 'VALIDATION_FAILED' }) error: string;
  @ApiProperty({ example: 'email must be an email' }) message: string;
  @ApiProperty({ example: '3f0c2a7e-9d1b-4e57-a1f5-0b6a0d7d2c11' }) requestId: string;
  @ApiPropertyOptional({ example: ['email must be an email'], type: [String] }) details?: string[];
}
