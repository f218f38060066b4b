import { IsString, MaxLength } from 'class-validator';

/** Re-encrypts every stored secret under the current master key (MASTER_KEY_ID). */
export class AuthApiKeysRotateMasterKeyRequest {
  /** INTERNAL_RPC_TOKEN (`tradectl keys rotate`). */
  @IsString() @MaxLength(256) internalToken: string;
}
