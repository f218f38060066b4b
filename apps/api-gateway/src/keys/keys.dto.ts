import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'binance', pattern: '^[a-z0-9_]{2,32}$', description: 'ccxt exchange id' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'exchange must be a ccxt exchange id (lowercase letters, digits, _)' })
  exchange: string;

  @ApiProperty({ example: 'main account', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/^[^\p{Cc}\p{Cf}]+$/u, { message: 'label must not contain control or format characters' })
  label: string;
  @ApiProperty({ example: 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A', description: 'Stored encrypted; only a masked form is ever shown' })
  @IsString()
  @Length(8, 512)
  apiKey: string;

  @ApiProperty({ example: 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j', writeOnly: true, description: 'Never returned' })
  @IsString()
  @Length(8, 512)
  secret: string;

  @ApiPropertyOptional({ example: 'my-passphrase', writeOnly: true, description: 'Some exchanges (OKX, KuCoin) need one; never returned' })
  @IsOptional()
  @IsString()
  @Length(1, 512)
  passphrase?: string;

  @ApiProperty({ example: false, description: 'A testnet/sandbox key' }) @IsBoolean() testnet: boolean;
}

export class ListApiKeysQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Admin only: list another user\'s keys' }) @IsOptional() @IsUUID() userId?: string;
}

export class ApiKeyDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51', format: 'uuid' }) id: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'main account' }) label: string;
  @ApiProperty({ example: 'vmPU…Eh8A' }) apiKeyMasked: string;
  @ApiProperty({ example: false }) hasPassphrase: boolean;
  @ApiProperty({ example: false }) testnet: boolean;
  @ApiProperty({ example: true }) isActive: boolean;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: null, format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}
