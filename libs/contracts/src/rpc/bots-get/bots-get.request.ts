import { IsUUID } from 'class-validator';

/** One bot of one user; another user's bot is answered as not found. */
export class BotsGetRequest {
  @IsUUID() userId: string;
  @IsUUID() botId: string;
}
